/*
 * formats.h - the formats stepmap writes, one table for the command line
 * (stepmap export) and the workbench (:export): their names, the suffix
 * that picks them, and what each writes.
 */
#ifndef STEPMAP_EXPORT_FORMATS_H
#define STEPMAP_EXPORT_FORMATS_H

#include <stdbool.h>

#include "export/picture.h"

enum export_format {
	EXPORT_CSV,
	EXPORT_JSON,
	EXPORT_BPMN,
	EXPORT_SVG,
	EXPORT_PNG,
	EXPORT_PDF,
	EXPORT_HTML,
	EXPORT_MD,
	EXPORT_FORMAT_COUNT_
};

struct export_format_info {
	const char *name;       /* -f NAME */
	const char *suffix;     /* picks it from the output file's name */
	bool whole_workbook;    /* without a process named: every process */
	bool own_scenario;      /* draws the baseline with the scenario's difference
	                         * (pictures, readout); else writes the scenario's
	                         * derived process */
	enum pic_format pic;    /* the pictures' format (SVG, PNG, PDF) */
	bool readout;           /* the readout's text (HTML, Markdown) */
};

const struct export_format_info *export_format_info(enum export_format f);
/* The format named name (-f), or by path's suffix (case-insensitive);
 * -1 when none. */
int export_format_named(const char *name);
int export_format_of_path(const char *path);
/* "csv, json, bpmn, ..." and ".csv .json .bpmn ...", for messages. */
const char *export_format_names(void);
const char *export_format_suffixes(void);

#endif
