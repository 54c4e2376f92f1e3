/* claims.h - claims (configs/claims.yaml) judged against records: used by the claims section
 * of one run's report, the Python section and the side-by-side report. */
#ifndef IPCPROBE_CLAIMS_H
#define IPCPROBE_CLAIMS_H

#include <jansson.h>
#include <stddef.h>

/* Decide one claim against records: 1 holds, 0 does not, 2 not decided (the intervals leave
 * the rule open, or a median rests on too few undisturbed repetitions), -1 not
 * measured, -2 unsupported (what it needs was recorded unsupported, e.g. a missing
 * interpreter); text gets the figures behind the verdict, each saying which statistic
 * decided it over how many undisturbed repetitions, with a median's interval, and why it is
 * not decided; or why it could not be measured (a failed record's whole reason). */
int claim_judge(json_t *records, json_t *claim, char *text, size_t len);
const char *claim_verdict_name(int verdict);
/* What "not decided" means, in the one sentence every claims table gives with it. */
#define CLAIM_UNDECIDED_MEANS \
	"\"Not decided\" means that the figures cannot settle the rule: the two sides' " \
	"intervals over repetitions (or an interval and a bound) overlap, so that the rule " \
	"holds for some values within them and fails for others, or a median rests on fewer " \
	"than 2 undisturbed repetitions, too few for an interval (or a figure on none)."
/* "holds: a = ... (a < b)": a claim's verdict and figures for one table cell. */
void claim_cell(json_t *records, json_t *claim, char *buf, size_t len);
/* The interpreters records name ("python3.11"), in the order first seen (a new array). */
json_t *claims_interpreters(json_t *records);
/* The records one interpreter's column sees: its own and those of no interpreter (new). */
json_t *claims_records_for(json_t *records, const char *interp);

#endif
