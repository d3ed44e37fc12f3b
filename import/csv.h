/*
 * csv.h - read a process from a CSV file of steps (a spreadsheet export).
 *
 * The file is one header row naming the columns, then one row per step. The
 * CSV itself is parsed by libcsv; this reader maps its cells onto the model
 * and emits them into a struct sink (import/sink.h).
 *
 * Encoding and shape. UTF-8, with or without a byte-order mark; UTF-16 and
 * Excel workbooks (.xlsx) are recognised and refused with a hint. Comma,
 * semicolon or tab between cells, guessed from the header line (Excel writes
 * semicolons in locales whose decimal mark is a comma), or given by an Excel
 * "sep=;" first line. Lines end in CRLF, LF or CR. Quoted cells may hold the
 * delimiter, doubled quotes and line breaks (RFC 4180); a quote anywhere else
 * is an error, never guessed at. Blank rows, and rows whose every cell is
 * empty, are skipped.
 *
 * Columns are found by their header name, in any order, case-insensitively;
 * spaces and hyphens count as underscores ("Error rate" is error_rate). A
 * header the reader does not know is a warning and its cells are ignored.
 * Only `name` is required. Every cell may be empty, meaning the default.
 *
 * A row that has a lane and nothing else of a step (no step, no name, only
 * lane, stage and capacity) is a lane row: it declares the lane without a
 * step. Lanes take the order of the lane rows, then of first appearance in
 * the steps; the writer adds lane rows at the top only when that order, or a
 * lane without steps, needs them.
 *
 *   step        the step's key, unique in the file: a number or a word without
 *               spaces, '@' or '|'. When every row has a number, the rows are
 *               put in the order of their numbers (so a sheet sorted by lane,
 *               or a row 12.5 added between 12 and 13, still reads in order);
 *               otherwise in file order. An empty cell takes the row's
 *               position (1, 2, ...) as its key.
 *   name        the step's name.
 *   lane        who does it; each new name becomes a lane, in order of first
 *               appearance.
 *   stage       the lane's stage: customer, onstage, offstage (the default)
 *               or support.
 *   capacity    the lane's servers: a whole number; 0, empty or "unlimited"
 *               for no limit.
 *               (stage and capacity describe the lane: the first row that
 *               gives one sets it, a later row that disagrees is a warning.)
 *   type        task (the default), manual, user, service, script, send,
 *               receive, businessrule, decision, parallel, wait, start, end,
 *               subprocess.
 *   work, wait  durations or distributions: 5m, 1h30m, tri(3m,5m,10m)...
 *   value       VA, BVA, NVA or empty.
 *   error_rate  0 to 1.
 *   cost        0 or more, per execution.
 *               (In a file with semicolons or tabs between cells, a decimal
 *               comma is accepted in both: 0,05. Not with commas, where
 *               "1,000" would be ambiguous: it is an error.)
 *   channel     free text ("phone", "in person").
 *   emotion     -2 to +2, or empty.
 *   pain        yes/no (also y/n, true/false, 1/0).
 *   note        free text.
 *   next        the step's explicit outgoing flows; empty means the implicit
 *               flow to the next step in order (none after an end step or the
 *               last one). Items are separated by '|':
 *                   12@0.7 Imaging needed {imaging = yes} | 15@0.3 No imaging
 *               each item: the target step's key; optionally '@' and the
 *               branch probability (0 to 1, or a percentage: @70%), written
 *               right after the key; optionally, after a space, the flow's
 *               label; optionally, last, its condition in braces. In labels
 *               and conditions a backslash takes the next character literally
 *               (\|, \{, \}, \\).
 *   starts      the measures that start at this step (from the start of this
 *               step), separated by '|', each a name optionally followed by
 *               '@customer' or '@process' (the clock; process when not
 *               given): "arrival → seen by physician @customer".
 *   ends        the measures that end at this step (to the end of it), by the
 *               same names. The k-th start of a name pairs with its k-th end;
 *               an unpaired one is a warning. In names, \| and \@ stand for
 *               '|' and '@'. Measures are numbered in the order they start.
 *   arrival     the process's time between case arrivals (simulation), given
 *               on one row (the first that has it wins).
 *   time_unit   the unit the process's times are shown in: auto (the
 *               default), s, min, h or d; given on one row as arrival is.
 *               A file without the column (written before it) reads as
 *               auto.
 *   generated   yes/no (as pain): the step is a gateway the program made (a
 *               parallel cut's or block's split and join), kept to simulate
 *               but not counted as a step. Written only when a step has it.
 *
 * Errors name the file, the line where the record starts, and the column:
 *   "adm.csv:14: column 'work': expected a duration like 5m or
 *    tri(3m,5m,10m), got '5 minutes'"
 * Absurd input is refused, not swallowed: a physical line over 4 MiB, a
 * cell over 1 MiB, a record over 4096 cells, invalid UTF-8 in a cell that is
 * read (naming line and column), NUL bytes (not a text file).
 */
#ifndef STEPMAP_IMPORT_CSV_H
#define STEPMAP_IMPORT_CSV_H

#include <stdio.h>

#include "import/sink.h"

/* The limits above. */
#define CSV_IMPORT_LINE_MAX  (4u << 20)
#define CSV_IMPORT_CELL_MAX  (1u << 20)
#define CSV_IMPORT_CELLS_MAX 4096

/*
 * Read one process from the CSV file at path into sink: process() named
 * `name`, or, when name is NULL or empty, after the file (its base name
 * without the .csv suffix), then arrival, lanes, steps, flows, measures and
 * end(). Warnings go to the sink's warn() with "FILE:LINE" as where.
 *
 * The whole file is read and checked before anything is emitted, so on an
 * error in the file nothing reaches the sink; an error from the sink itself
 * stops the read with the sink's status. Returns STATUS_OK, STATUS_IO (cannot
 * open or read), STATUS_INPUT (err says where and what), STATUS_NOMEM.
 */
enum status csv_import_file(const char *path, const char *name, struct sink *sink,
                            struct err *err);

/* The same from an open stream; `where` names it in messages (a file name). */
enum status csv_import_stream(FILE *f, const char *where, const char *name,
                              struct sink *sink, struct err *err);

#endif
