/* usage.c - the usage text of ipcprobe and of each command, written from the option table
 * (options.c): `ipcprobe help`, `ipcprobe CMD --help` (stdout, exit 0) and bad usage (stderr,
 * exit 2) print the same words, and the parser takes what they say, from the same table.
 * The man page (doc/ipcprobe.1) says more. */
#include <stdio.h>
#include <string.h>

#include "common/exit.h"
#include "common/options.h"
#include "common/usage.h"

#define HELP_COL 24	/* where an option's help starts */
#define WIDTH 79	/* the general usage's lines wrap before this */

/* "  -q, --quiet", "  -o DIR", "  --filter REGEX": an option's left column. */
static int print_left(FILE *f, const struct opt_spec *o)
{
	int n = fprintf(f, "  ");
	if (o->id < 256)
		n += fprintf(f, "-%c%s", o->id, o->name ? ", " : "");
	if (o->name)
		n += fprintf(f, "--%s", o->name);
	if (o->metavar)
		n += fprintf(f, " %s", o->metavar);
	return n;
}

/* One option: its left column, then its help lines at HELP_COL (a left column too wide to
 * leave two spaces puts the help on the next line). */
static void print_option(FILE *f, const struct opt_spec *o)
{
	int n = print_left(f, o);
	if (n > HELP_COL - 2) {
		fputc('\n', f);
		n = 0;
	}
	for (const char *h = o->help; *h;) {
		size_t l = strcspn(h, "\n");
		fprintf(f, "%*s%.*s\n", HELP_COL - n, "", (int)l, h);
		n = 0;
		h += l + (h[l] == '\n');
	}
}

/* "usage: ipcprobe CMD LINE", then "       ipcprobe CMD LINE" for each further line. */
static void print_synopsis(FILE *f, const struct cmd_spec *c)
{
	const char *s = c->synopsis;
	int first = 1;
	do {
		size_t l = strcspn(s, "\n");
		fprintf(f, "%s ipcprobe %s%s%.*s\n", first ? "usage:" : "      ", c->name,
			l ? " " : "", (int)l, s);
		s += l + (s[l] == '\n');
		first = 0;
	} while (*s);
}

static void usage_cmd(FILE *f, const struct cmd_spec *c)
{
	print_synopsis(f, c);
	fputs(c->about, f);
	if (c->opts[0].id) {
		fputc('\n', f);
		for (int i = 0; opt_at(c, i); i++)
			print_option(f, opt_at(c, i));
	}
	if (c->footer)
		fprintf(f, "\n%s", c->footer);
}

/* s wrapped before WIDTH at the spaces outside brackets, further lines at column indent. */
static void print_wrapped(FILE *f, const char *s, int col, int indent)
{
	while (*s) {
		const char *end = s;
		int depth = 0;
		while (*end && (depth || *end != ' ' || end == s)) {
			depth += (*end == '[') - (*end == ']');
			end++;
		}
		int l = (int)(end - s);
		if (col + l > WIDTH && col > indent) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			if (*s == ' ')
				s++, l--;
		}
		col += fprintf(f, "%.*s", l, s);
		s = end;
	}
	fputc('\n', f);
}

/* Every command's synopsis, its options written out, and what it does. */
static void usage_all(FILE *f)
{
	int first = 1;
	for (const struct cmd_spec *c = cmd_specs; c->name; c++) {
		const char *s = c->synopsis;
		do {
			char line[1024];
			size_t l = strcspn(s, "\n");
			cmd_synopsis(c, s, l, line, sizeof(line));
			int col = fprintf(f, "%s ipcprobe %s%s", first ? "usage:" : "      ", c->name,
					  line[0] ? " " : "");
			print_wrapped(f, line, col, col);
			s += l + (s[l] == '\n');
			first = 0;
		} while (*s);
		fprintf(f, "%11s%s\n", "", c->summary);
	}
}

int usage_print(const char *cmd, FILE *f)
{
	const struct cmd_spec *c = cmd_find(cmd);
	if (c)
		usage_cmd(f, c);
	else
		usage_all(f);
	return f == stderr ? EXIT_BAD_INPUT : EXIT_ALL_OK;
}
