/*
 * formats.c - the table of the formats stepmap writes (formats.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "export/formats.h"

static const struct export_format_info formats[EXPORT_FORMAT_COUNT_] = {
	[EXPORT_CSV] = { "csv", ".csv", false, false, PIC_SVG, false },
	[EXPORT_JSON] = { "json", ".json", true, false, PIC_SVG, false },
	[EXPORT_BPMN] = { "bpmn", ".bpmn", true, false, PIC_SVG, false },
	[EXPORT_SVG] = { "svg", ".svg", false, true, PIC_SVG, false },
	[EXPORT_PNG] = { "png", ".png", false, true, PIC_PNG, false },
	[EXPORT_PDF] = { "pdf", ".pdf", false, true, PIC_PDF, false },
	[EXPORT_HTML] = { "html", ".html", false, true, PIC_SVG, true },
	[EXPORT_MD] = { "md", ".md", false, true, PIC_SVG, true },
};

const struct export_format_info *
export_format_info(enum export_format f)
{
	return (unsigned)f < EXPORT_FORMAT_COUNT_ ? &formats[f] : NULL;
}

int
export_format_named(const char *name)
{
	int f;

	for (f = 0; name && f < EXPORT_FORMAT_COUNT_; f++)
		if (!strcmp(formats[f].name, name))
			return f;
	return -1;
}

int
export_format_of_path(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	int f;

	for (f = 0; f < EXPORT_FORMAT_COUNT_; f++) {
		size_t m = strlen(formats[f].suffix);

		if (n >= m && !strcasecmp(path + n - m, formats[f].suffix))
			return f;
	}
	return -1;
}

/* The table's names or suffixes joined by sep, made once. */
static const char *
joined(char *buf, size_t size, bool suffixes, const char *sep)
{
	size_t len = 0;
	int f;

	if (buf[0])
		return buf;
	for (f = 0; f < EXPORT_FORMAT_COUNT_ && len < size; f++) {
		int k = snprintf(buf + len, size - len, "%s%s", f ? sep : "",
		                 suffixes ? formats[f].suffix : formats[f].name);

		if (k < 0)
			break;
		len += (size_t)k;
	}
	return buf;
}

const char *
export_format_names(void)
{
	static char buf[128];

	return joined(buf, sizeof buf, false, ", ");
}

const char *
export_format_suffixes(void)
{
	static char buf[128];

	return joined(buf, sizeof buf, true, " ");
}
