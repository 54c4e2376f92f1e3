/* options.h - every command's options, in one table (options.c): each command parses its
 * argv from it with getopt_long (args.c), the usage text is written from it (usage.c), and so
 * are the man page's synopsis and option lists and the bash completion's words
 * (doc/gen_options.c writes them into doc/ipcprobe.1 and completions/ipcprobe.bash with
 * `make docs`; tests/e2e/test_cli_options.sh fails when those files say otherwise). */
#ifndef IPCPROBE_OPTIONS_H
#define IPCPROBE_OPTIONS_H

#include <getopt.h>
#include <stddef.h>

/* What opt_next() returns: an option's id (its short letter when it has one, else one of
 * these, above any letter), an operand, the end, or a stop (help given, or bad usage). */
enum {
	OPT_END = -1,
	OPT_STOP = -2,		/* said; the command returns opt_iter.status */
	OPT_ARG = 1,		/* an operand (a non-option word, or any word after "--") */
	OPT_FILTER = 256, OPT_REPETITIONS, OPT_PARAM, OPT_EXPORT_JSON, OPT_PLAN, OPT_JSON,
	OPT_MATCH, OPT_VS, OPT_THRESHOLD, OPT_FORMAT, OPT_ALLOW_INCOMPLETE, OPT_ALLOW_MISSING,
	OPT_ALLOW_DISTURBED, OPT_DIRECTION,
};

/* How the completion completes an option's value or a command's operands. */
enum opt_complete { OC_NONE, OC_FILE, OC_DIR, OC_CONFIG, OC_PROBE, OC_COMMAND };

enum {
	OF_SYNOPSIS = 1,	/* the synopsis spells the option itself (compare's --vs): it is
				 * not one of the "[options]" */
};

struct opt_spec {
	int id;			/* opt_next()'s answer: the short letter, or OPT_* above */
	const char *name;	/* the long name without "--"; NULL: a short option only */
	const char *metavar;	/* the value's name; NULL: the option takes no value */
	const char *choices;	/* the values it takes, "text|markdown|json"; NULL: any */
	enum opt_complete complete;	/* its value, for the completion (choices: those) */
	int flags;		/* OF_* */
	const char *help;	/* its lines in the usage text, '\n' between them */
	const char *man;	/* the man page's words for it (plain text); NULL: help's */
};

struct cmd_spec {
	const char *name;
	const char *synopsis;	/* what follows "ipcprobe NAME" on each usage line, '\n'
				 * between lines; "[options]" stands for the options */
	const char *summary;	/* its line in `ipcprobe help` */
	const char *about;	/* the paragraph after the synopsis in its usage */
	enum opt_complete operands;	/* what its operands are, for the completion */
	const struct opt_spec *opts;	/* ended by an entry of id 0; -h, --help come after */
	const char *footer;	/* after the options (the exit statuses), or NULL */
};

/* The commands, in the order `ipcprobe help` lists them, ended by an entry of name NULL. */
extern const struct cmd_spec cmd_specs[];
/* -h, --help: every command takes it, after its own options. */
extern const struct opt_spec opt_help;
/* The command called name, or NULL. */
const struct cmd_spec *cmd_find(const char *name);
/* The commands' names, NULL-terminated, for "did you mean". */
const char *const *cmd_names(void);
/* cmd's option of id, or NULL (opt_help for 'h'). */
const struct opt_spec *opt_find(const struct cmd_spec *cmd, int id);
/* cmd's i-th option (from 0), -h/--help last; NULL past it. */
const struct opt_spec *opt_at(const struct cmd_spec *cmd, int i);
/* Synopsis line `line` (a pointer into cmd->synopsis, linelen bytes) with "[options]" written
 * out ("[-o DIR] [-q] [--filter REGEX] ..."; the options a synopsis spells itself, and -h,
 * left out), into buf.  Only the first line that has "[options]" writes them out. */
const char *cmd_synopsis(const struct cmd_spec *cmd, const char *line, size_t linelen,
			 char *buf, size_t len);

/* ---- args.c: the parser ------------------------------------------------------------------ */

#define OPT_MAX 24	/* options of one command, -h and --help included */

/* One command's argv as getopt_long sees it: every word in order (options after operands
 * too), "--" ending the options, `--opt value` and `--opt=value`, a long option's unique
 * prefix for the option, short options clustered (-qo DIR). */
struct opt_iter {
	const struct cmd_spec *cmd;
	int argc;
	char **argv;
	int status;		/* after OPT_STOP: the exit status (0: help printed) */
	int ended, rest;	/* getopt_long is done; the next operand after it */
	char shorts[2 * OPT_MAX + 4];
	struct option longs[OPT_MAX + 1];
};

/* Start parsing argv (argv[0] the command's name, a command of cmd_specs). */
void opt_begin(struct opt_iter *it, int argc, char **argv);
/* The next option (its id, *value its value or NULL), operand (OPT_ARG, *value the word),
 * OPT_END, or OPT_STOP: --help printed the usage on stdout, or bad usage was said on stderr
 * with the usage ("ipcprobe run: unknown option --filtr; did you mean --filter?", "option -o
 * needs a value (DIR)", "option --plan takes no value (given --plan=yes)", "--format:
 * expected text, markdown or json, got \"xml\""); it->status is then the exit status. */
int opt_next(struct opt_iter *it, const char **value);
/* Bad usage of command cmd: "ipcprobe CMD: MESSAGE" and its usage on stderr.  Returns
 * EXIT_BAD_INPUT, the exit status. */
int opt_bad_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An option's spelling for messages: "--filter", or "-o" for a short option alone. */
const char *opt_spelling(const struct opt_spec *o, char *buf, unsigned len);

#endif
