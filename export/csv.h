/*
 * csv.h - write a process as a CSV file of steps, for spreadsheets, in the
 * format import/csv.h reads back: importing what this writes gives the same
 * steps, lanes (stage and capacity), flows (targets, probabilities, labels,
 * conditions), measures (names, ends, clocks) and arrival pattern, hence the
 * same figures. What a CSV of steps has no room for: the process's
 * description and its scenarios (export a scenario with -s to get its
 * derived process as steps).
 *
 * The file is RFC 4180: a header row, then one row per step in order, with
 * lane rows (a lane, its stage and capacity, nothing else) first when the
 * steps alone would not give the lanes back: a lane without steps, or lanes
 * not in the order of their first steps. Cells are quoted only when they must be (a delimiter, a quote, a line break, or a
 * leading or trailing blank, which readers would trim), quotes doubled; rows
 * end in CRLF, the RFC's choice and what Excel writes (every spreadsheet and
 * CSV library reads it; a line break inside a note stays a bare LF). Numbers
 * use a decimal point and the shortest digits that read back exactly.
 *
 * By default the file starts with a UTF-8 byte-order mark: without it Excel
 * on Windows and macOS opens a double-clicked CSV in the legacy code page
 * and shows "é" as "Ã©"; LibreOffice, Google Sheets, Numbers, Python's
 * utf-8-sig and our own reader all take the mark in stride. Scripts that
 * compare the header text byte for byte can ask for no mark. The delimiter is
 * a comma, or a semicolon for Excel in locales with a decimal comma, which
 * otherwise shows the whole row in column A.
 */
#ifndef STEPMAP_EXPORT_CSV_H
#define STEPMAP_EXPORT_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "model/model.h"

struct csv_export_opts {
	bool no_bom;                 /* leave out the UTF-8 byte-order mark */
	char delimiter;              /* ',' (also when 0) or ';' */
};

/*
 * Write p to f (opts NULL: the defaults). Steps are numbered 1, 2, ... in
 * order, and `next` names them by these numbers. Returns STATUS_OK, or
 * STATUS_IO with err set when f reports a write error ("cannot write"),
 * STATUS_NOMEM. The caller owns f; on error part of the file may have been
 * written (write through cli_write_atomic() to keep that from the user).
 */
enum status csv_export_process(FILE *f, const struct process *p,
                               const struct csv_export_opts *opts, struct err *err);

#endif
