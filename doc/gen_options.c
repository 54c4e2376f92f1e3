/* gen_options.c - the parts of doc/ipcprobe.1 and completions/ipcprobe.bash that spell
 * options, written from the option table (runner/common/options.c), so that the man page, the
 * completion, the usage text and the parsers cannot disagree.
 *
 *   gen-options FILE           FILE with its generated regions written afresh, on stdout
 *   gen-options --write FILE...  the same into each FILE, in place (`make docs`)
 *   gen-options --list         "COMMAND OPTION" for every option (tests read it)
 *
 * A generated region lies between a line holding "BEGIN generated: KEY" and one holding
 * "END generated: KEY"; KEY is "synopsis" or "options COMMAND" (roff, in the man page) or
 * "words" (bash, in the completion).  Everything outside the regions is left as it is.
 * tests/e2e/test_cli_options.sh fails when a file differs from what this writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "common/options.h"

/* s in roff: '-' as \-, '\' as \e, a sentence after ".  " on a line of its own (roff's
 * way of knowing where sentences end).  The table's words never start a sentence with '.'. */
static void roff(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len && s[i]; i++) {
		if (s[i] == '.' && i + 2 < len && s[i + 1] == ' ' && s[i + 2] == ' ')
			fputs(".\n", f), i += 2;
		else if (s[i] == '\n')
			fputc(' ', f);
		else if (s[i] == '-')
			fputs("\\-", f);
		else if (s[i] == '\\')
			fputs("\\e", f);
		else
			fputc(s[i], f);
	}
}

/* A synopsis in roff: options and literal words bold, metavariables (capitals, and
 * "options") italic. */
static void roff_synopsis(FILE *f, const char *s)
{
	while (*s) {
		size_t w = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_%-");
		if (!w) {
			fputc(*s++, f);
			continue;
		}
		int it = isupper((unsigned char)*s) || (w == 7 && !strncmp(s, "options", 7));
		fputs(it ? "\\fI" : "\\fB", f);
		roff(f, s, w);
		fputs("\\fR", f);
		s += w;
	}
	fputc('\n', f);
}

static void gen_synopsis(FILE *f)
{
	fputs(".nh\n.ad l\n", f);	/* neither hyphenated nor spread */
	for (const struct cmd_spec *c = cmd_specs; c->name; c++) {
		const char *s = c->synopsis;
		do {
			char line[1024], all[1200];
			size_t l = strcspn(s, "\n");
			cmd_synopsis(c, s, l, line, sizeof(line));
			snprintf(all, sizeof(all), "ipcprobe %s%s%s", c->name, line[0] ? " " : "", line);
			if (c != cmd_specs || s != c->synopsis)
				fputs(".br\n", f);
			roff_synopsis(f, all);
			s += l + (s[l] == '\n');
		} while (*s);
	}
	fputs(".ad\n.hy\n", f);
}

/* One option as a man page's .TP item: "\fB\-q\fR, \fB\-\-quiet\fR", then its words
 * (help's, made a sentence, when it has none of its own). */
static void gen_option(FILE *f, const struct opt_spec *o)
{
	fputs(".TP\n", f);
	if (o->id < 256)
		fprintf(f, "\\fB\\-%c\\fR%s", o->id, o->name ? ", " : "");
	if (o->name) {
		fputs("\\fB\\-\\-", f);
		roff(f, o->name, strlen(o->name));
		fputs("\\fR", f);
	}
	if (o->metavar) {
		fputs(" \\fI", f);
		roff(f, o->metavar, strlen(o->metavar));
		fputs("\\fR", f);
	}
	fputc('\n', f);
	const char *t = o->man ? o->man : o->help;
	size_t len = strlen(t);
	fprintf(f, "%s%c", strchr(".'", t[0]) ? "\\&" : "", o->man ? t[0] : toupper((unsigned char)t[0]));
	roff(f, t + 1, len - 1);
	fputs(t[len - 1] == '.' ? "\n" : ".\n", f);
}

static int gen_options(FILE *f, const char *cmd)
{
	const struct cmd_spec *c = cmd_find(cmd);
	if (!c)
		return -1;
	for (const struct opt_spec *o = c->opts; o->id; o++)
		gen_option(f, o);
	return 0;
}

static const char *const complete_words[] = {
	[OC_NONE] = "", [OC_FILE] = "file", [OC_DIR] = "dir", [OC_CONFIG] = "config",
	[OC_PROBE] = "probe", [OC_COMMAND] = "command",
};

/* What the value of option o is, for the completion: "file", "dir", "words A B", "any". */
static void value_kind(FILE *f, const struct opt_spec *o)
{
	if (o->choices) {
		fputs("words ", f);
		for (const char *s = o->choices; *s; s++)
			fputc(*s == '|' ? ' ' : *s, f);
	} else {
		fputs(o->complete ? complete_words[o->complete] : "any", f);
	}
}

/* The bash completion's words: the commands, each one's options and operands, and what
 * each option's value is. */
static void gen_words(FILE *f)
{
	fputs("_ipcprobe_commands=\"", f);
	for (const struct cmd_spec *c = cmd_specs; c->name; c++)
		fprintf(f, "%s%s", c == cmd_specs ? "" : " ", c->name);
	fputs("\"\n# The options of command $1; what its operands are.\n"
	      "_ipcprobe_options() {\n\tcase $1 in\n", f);
	for (const struct cmd_spec *c = cmd_specs; c->name; c++) {
		fprintf(f, "\t%s) echo \"", c->name);
		for (int i = 0; opt_at(c, i); i++) {
			const struct opt_spec *o = opt_at(c, i);
			if (o->id < 256)
				fprintf(f, "%s-%c", i ? " " : "", o->id);
			if (o->name)
				fprintf(f, "%s--%s", i || o->id < 256 ? " " : "", o->name);
		}
		fputs("\" ;;\n", f);
	}
	fputs("\tesac\n}\n_ipcprobe_operands() {\n\tcase $1 in\n", f);
	for (const struct cmd_spec *c = cmd_specs; c->name; c++)
		fprintf(f, "\t%s) echo %s ;;\n", c->name, c->operands ? complete_words[c->operands] :
			"none");
	fputs("\tesac\n}\n# What the value of option $2 of command $1 is: file, dir, words WORD..., or any;\n"
	      "# nothing when the option takes no value.\n_ipcprobe_value() {\n\tcase \"$1 $2\" in\n", f);
	for (const struct cmd_spec *c = cmd_specs; c->name; c++)
		for (const struct opt_spec *o = c->opts; o->id; o++) {
			if (!o->metavar)
				continue;
			fputc('\t', f);
			if (o->id < 256)
				fprintf(f, "\"%s -%c\"%s", c->name, o->id, o->name ? "|" : "");
			if (o->name)
				fprintf(f, "\"%s --%s\"", c->name, o->name);
			fputs(") echo ", f);
			value_kind(f, o);
			fputs(" ;;\n", f);
		}
	fputs("\tesac\n}\n", f);
}

/* The region KEY written afresh.  0, or -1 for a KEY not known. */
static int gen_region(FILE *f, const char *key)
{
	if (!strcmp(key, "synopsis"))
		gen_synopsis(f);
	else if (!strncmp(key, "options ", 8))
		return gen_options(f, key + 8);
	else if (!strcmp(key, "words"))
		gen_words(f);
	else
		return -1;
	return 0;
}

/* The KEY of a "BEGIN generated: KEY" or "END generated: KEY" line (up to " --" or the end),
 * into key; NULL when the line is not one. */
static const char *marker(const char *line, const char *what, char *key, size_t len)
{
	char tag[32];
	snprintf(tag, sizeof(tag), "%s generated: ", what);
	const char *k = strstr(line, tag);
	if (!k)
		return NULL;
	k += strlen(tag);
	const char *end = strstr(k, " --");
	size_t l = end ? (size_t)(end - k) : strcspn(k, "\n");
	snprintf(key, len, "%.*s", (int)l, k);
	return key;
}

/* path with its regions written afresh, into out.  0, or -1 (said on stderr). */
static int rewrite(const char *path, FILE *in, FILE *out)
{
	char line[4096], key[128], end[128];
	int n = 0;
	while (fgets(line, sizeof(line), in)) {
		n++;
		fputs(line, out);
		if (!marker(line, "BEGIN", key, sizeof(key)))
			continue;
		if (gen_region(out, key) < 0) {
			fprintf(stderr, "%s:%d: no region \"%s\" (synopsis, options COMMAND, words)\n",
				path, n, key);
			return -1;
		}
		while (fgets(line, sizeof(line), in) && (n++, !marker(line, "END", end, sizeof(end))))
			;
		if (feof(in) || strcmp(key, end)) {
			fprintf(stderr, "%s:%d: region \"%s\" has no END generated: %s line\n", path, n,
				key, key);
			return -1;
		}
		fputs(line, out);
	}
	return 0;
}

/* --write: path through a temporary file beside it, renamed over it. */
static int write_in_place(const char *path)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.gen-options", path);
	FILE *in = fopen(path, "r"), *out = in ? fopen(tmp, "w") : NULL;
	int rc = in && out ? rewrite(path, in, out) : -1;
	if (!in || !out)
		perror(path);
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		perror(path), rc = -1;
	if (rc < 0 && out)
		remove(tmp);
	return rc;
}

static void list_options(void)
{
	for (const struct cmd_spec *c = cmd_specs; c->name; c++)
		for (int i = 0; opt_at(c, i); i++) {
			const struct opt_spec *o = opt_at(c, i);
			if (o->id < 256)
				printf("%s -%c\n", c->name, o->id);
			if (o->name)
				printf("%s --%s\n", c->name, o->name);
		}
}

int main(int argc, char **argv)
{
	int rc = 0;
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		list_options();
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "--write")) {
		for (int i = 2; i < argc; i++)
			rc |= write_in_place(argv[i]) < 0;
		return rc;
	}
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: gen-options FILE | --write FILE... | --list\n");
		return 2;
	}
	FILE *in = fopen(argv[1], "r");
	if (!in) {
		perror(argv[1]);
		return 1;
	}
	rc = rewrite(argv[1], in, stdout) < 0;
	fclose(in);
	return rc;
}
