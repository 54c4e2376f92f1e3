/* cases.h - the capacity probe's parts (the C files of probes/capacity/, linked into it alone):
 * how a pipe is sized; each case's run function and tables, for the case table in
 * probes/capacity.c. */
#ifndef IPCPROBE_CAPACITY_CASES_H
#define IPCPROBE_CAPACITY_CASES_H

#include "probe.h"

/* pipe_size.c: the largest size F_SETPIPE_SZ grants; what it grants for a few requests. */
int run_max_granted(struct probe_ctx *ctx);
extern const struct metric_desc cap_m_max[];
extern const struct param_desc cap_p_max[];
int run_setpipe_rounding(struct probe_ctx *ctx);
extern const struct metric_desc cap_m_rounding[];
extern const struct param_desc cap_p_rounding[];

/* user_pages.c: a user's pipes past pipe-user-pages-soft. */
int run_pipe_user_pages(struct probe_ctx *ctx);
extern const struct metric_desc cap_m_user_pages[];
extern const struct param_desc cap_p_user_pages[];

#endif
