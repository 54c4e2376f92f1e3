/* args.c - a command's argv through libc's getopt_long, from the command's entry in the
 * option table (options.h), and every mistake in it named: the option not known (with a "did
 * you mean", or the options there are), the option whose value is missing, the flag given a
 * value, the value not among an option's choices. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/exit.h"
#include "common/options.h"
#include "common/usage.h"
#include "param.h"

void opt_begin(struct opt_iter *it, int argc, char **argv)
{
	memset(it, 0, sizeof(*it));
	it->cmd = cmd_find(argv[0]);
	it->argc = argc;
	it->argv = argv;
	/* "-": every word in order, an operand as OPT_ARG where it stands (no permuting, so that
	 * compare's --vs divides its operands); ":": a missing value told from an unknown
	 * option. */
	char *s = it->shorts;
	*s++ = '-';
	*s++ = ':';
	int n = 0;
	for (int i = 0; opt_at(it->cmd, i) && n < OPT_MAX; i++) {
		const struct opt_spec *o = opt_at(it->cmd, i);
		if (o->id < 256) {
			*s++ = (char)o->id;
			if (o->metavar)
				*s++ = ':';
		}
		if (o->name)
			it->longs[n++] = (struct option){ o->name, o->metavar ? required_argument :
							  no_argument, NULL, o->id };
	}
	*s = '\0';
	optind = 0;	/* glibc, musl and the BSDs: start afresh */
	opterr = 0;	/* the messages are ours */
}

int opt_bad_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ipcprobe %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return usage_print(cmd, stderr);
}

const char *opt_spelling(const struct opt_spec *o, char *buf, unsigned len)
{
	if (o->name)
		snprintf(buf, len, "--%s", o->name);
	else
		snprintf(buf, len, "-%c", o->id);
	return buf;
}

static int stop(struct opt_iter *it, int status)
{
	it->status = status;
	return OPT_STOP;
}

/* "-o, -q, --quiet, --filter, ...": the options of cmd. */
static const char *all_options(const struct cmd_spec *cmd, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; opt_at(cmd, i); i++) {
		const struct opt_spec *o = opt_at(cmd, i);
		size_t l = strlen(buf);
		if (o->id < 256)
			snprintf(buf + l, len - l, "%s-%c", l ? ", " : "", o->id), l = strlen(buf);
		if (o->name)
			snprintf(buf + l, len - l, "%s--%s", l ? ", " : "", o->name);
	}
	return buf;
}

/* An unknown or ambiguous long option, word as given ("--filtr", "--allow=1"). */
static int bad_long(struct opt_iter *it, const char *word)
{
	const char *names[OPT_MAX + 1], *near;
	char name[128], list[512] = "";
	int n = 0, matches = 0;
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(word + 2, "="), word + 2);
	for (int i = 0; opt_at(it->cmd, i); i++) {
		const struct opt_spec *o = opt_at(it->cmd, i);
		if (!o->name)
			continue;
		names[n++] = o->name;
		if (!strncmp(o->name, name, strlen(name))) {
			size_t l = strlen(list);
			snprintf(list + l, sizeof(list) - l, "%s--%s", matches++ ? ", " : "", o->name);
		}
	}
	names[n] = NULL;
	if (matches > 1)
		return stop(it, opt_bad_usage(it->cmd->name, "option --%s is ambiguous: %s", name,
					      list));
	if ((near = closest_name(name, names)))
		return stop(it, opt_bad_usage(it->cmd->name, "unknown option --%s; did you mean "
					      "--%s?", name, near));
	return stop(it, opt_bad_usage(it->cmd->name, "unknown option --%s (%s takes %s)", name,
				      it->cmd->name, all_options(it->cmd, list, sizeof(list))));
}

/* getopt_long's '?' or ':'.  optopt says which: 0, a long option not known (or ambiguous);
 * else the option, or the letter, concerned.  The messages are worked out from the table,
 * not from which of '?' and ':' came back, which differs between libcs for a flag given a
 * value.  optind is past the word concerned, except inside a cluster of letters. */
static int bad_option(struct opt_iter *it)
{
	const char *word = optind > 0 && optind <= it->argc ? it->argv[optind - 1] : "";
	const struct opt_spec *o = optopt ? opt_find(it->cmd, optopt) : NULL;
	char list[512], sp[64];
	if (!optopt && !strncmp(word, "--", 2))
		return bad_long(it, word);
	if (!o)
		return stop(it, opt_bad_usage(it->cmd->name, "unknown option -%c (%s takes %s)",
					      optopt > 32 && optopt < 127 ? optopt : '?',
					      it->cmd->name, all_options(it->cmd, list, sizeof(list))));
	if (o->name && !strncmp(word, "--", 2))
		snprintf(sp, sizeof(sp), "--%s", o->name);
	else
		snprintf(sp, sizeof(sp), "-%c", o->id);
	if (o->metavar)
		return stop(it, opt_bad_usage(it->cmd->name, "option %s needs a value (%s)", sp,
					      o->metavar));
	return stop(it, opt_bad_usage(it->cmd->name, "option %s takes no value (given %s)", sp,
				      word));
}

/* value one of o's choices?  Else said, with the near miss. */
static int bad_choice(struct opt_iter *it, const struct opt_spec *o, const char *value)
{
	char words[256], *w[16], list[300] = "", sp[64];
	int n = 0;
	snprintf(words, sizeof(words), "%s", o->choices);
	for (char *save, *t = strtok_r(words, "|", &save); t && n < 15; t = strtok_r(NULL, "|", &save))
		w[n++] = t;
	w[n] = NULL;
	for (int i = 0; i < n; i++)
		if (!strcmp(w[i], value))
			return 0;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(list);
		snprintf(list + l, sizeof(list) - l, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ",
			 w[i]);
	}
	const char *near = closest_name(value, (const char *const *)w);
	stop(it, opt_bad_usage(it->cmd->name, "%s: expected %s, got \"%s\"%s%s%s",
			       opt_spelling(o, sp, sizeof(sp)), list, value,
			       near ? "; did you mean " : "", near ? near : "", near ? "?" : ""));
	return -1;
}

int opt_next(struct opt_iter *it, const char **value)
{
	*value = NULL;
	if (!it->ended) {
		int c = getopt_long(it->argc, it->argv, it->shorts, it->longs, NULL);
		if (c == 1) {
			*value = optarg;
			return OPT_ARG;
		}
		if (c == '?' || c == ':')
			return bad_option(it);
		if (c == 'h')
			return stop(it, usage_print(it->cmd->name, stdout));
		if (c != -1) {
			const struct opt_spec *o = opt_find(it->cmd, c);
			*value = optarg;
			if (o && o->choices && bad_choice(it, o, optarg) < 0)
				return OPT_STOP;
			return c;
		}
		/* "--" (or, for musl, a lone "-"): every word from here is an operand. */
		it->ended = 1;
		it->rest = optind;
	}
	if (it->rest < it->argc) {
		*value = it->argv[it->rest++];
		return OPT_ARG;
	}
	return OPT_END;
}
