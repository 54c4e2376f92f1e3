/* test_sweep.c - the sweep after a probe removes what this run's probes made and nothing else
 * (issue 15): not an object of another user named and keyed exactly as ours, not an object of
 * another run whose process group has the same number (a PID namespace, a container), and
 * nothing at all without a run token.  SysV keys come from the run's secret, not its public
 * token (issue 28): the sweep judges them by the secret.  Real kernel objects: POSIX shm, SysV
 * message queues, temporary files.  The other user's objects need root (setresuid); without
 * it that test is skipped. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "cleanup.h"
#include "exec/sweep.h"

#define TOKEN "00000000feedbeef"	/* this run's */
#define OTHER "00000000deadf00d"	/* another run's, with the same process group numbers */
#define SECRET "0123456789abcdef"	/* this run's */
#define SECRET_V 0x0123456789abcdefull
#define OTHER_SECRET_V 0xfedcba9876543210ull
#define NOBODY 65534

struct objs {
	char shm[128], file[256];
	int key, msqid;
};

/* Names and key as a probe of the run with this token and secret would make them in our
 * group. */
static void name_objects(struct objs *o, const char *token, uint64_t secret, unsigned seq)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(o->shm, sizeof(o->shm), "/ipcprobe-%s-%ld-99999-%u", token, (long)getpgrp(), seq);
	snprintf(o->file, sizeof(o->file), "%s/ipcprobe-%s-%ld-99999-%u", tmp && *tmp ? tmp : "/tmp",
		 token, (long)getpgrp(), seq);
	o->key = IPC_KEY_MARK | (int)(ipc_key_tag(secret, (long)getpgrp()) << 8) | (int)(seq & 0xff);
}

static int create_objects(struct objs *o)
{
	int fd = shm_open(o->shm, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	fd = open(o->file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	o->msqid = msgget(o->key, IPC_CREAT | IPC_EXCL | 0600);
	return o->msqid < 0 ? -1 : 0;
}

/* How many of the three objects still exist. */
static int still_there(const struct objs *o)
{
	struct stat st;
	int n = 0, fd = shm_open(o->shm, O_RDONLY, 0);
	if (fd >= 0) {
		close(fd);
		n++;
	}
	n += stat(o->file, &st) == 0;
	n += msgget(o->key, 0) >= 0;
	return n;
}

static void remove_objects(const struct objs *o)
{
	shm_unlink(o->shm);
	unlink(o->file);
	int id = msgget(o->key, 0);
	if (id >= 0)
		msgctl(id, IPC_RMID, NULL);
}

static void test_sweep_takes_ours_and_leaves_another_runs(void **state)
{
	(void)state;
	struct objs ours, other;
	name_objects(&ours, TOKEN, SECRET_V, 201);
	name_objects(&other, OTHER, OTHER_SECRET_V, 202);
	assert_int_equal(create_objects(&ours), 0);
	assert_int_equal(create_objects(&other), 0);
	json_t *removed = json_array();
	assert_int_equal(sweep_group(getpgrp(), "0", SECRET_V, NULL), 0);	/* no token: nothing */
	assert_int_equal(still_there(&ours), 3);
	assert_int_equal(sweep_group(getpgrp(), TOKEN, SECRET_V, removed), 3);
	assert_int_equal(json_array_size(removed), 3);
	assert_int_equal(still_there(&ours), 0);
	assert_int_equal(still_there(&other), 3);
	remove_objects(&other);
	json_decref(removed);
}

static void test_sweep_leaves_another_users_lookalikes(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();		/* only root can make objects as another user */
	struct objs theirs;
	name_objects(&theirs, TOKEN, SECRET_V, 203);	/* exactly our names and key */
	pid_t pid = fork();
	if (pid == 0) {
		if (setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(2);
		_exit(create_objects(&theirs) < 0 ? 1 : 0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(still_there(&theirs), 3);
	assert_int_equal(sweep_group(getpgrp(), TOKEN, SECRET_V, NULL), 0);
	assert_int_equal(still_there(&theirs), 3);
	remove_objects(&theirs);
}

/* A queue made under the old scheme's key (tag from the public token) in our group: what a
 * squatter who read the token in a name would have made. */
static int token_keyed_queue(const char *token, unsigned seq)
{
	char text[48];
	unsigned h = 2166136261u;
	snprintf(text, sizeof(text), "%s-%ld", token, (long)getpgrp());
	for (const char *p = text; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	int key = IPC_KEY_MARK | (int)(((h ^ (h >> 22)) & IPC_KEY_TAG_MASK) << 8) | (int)(seq & 0xff);
	return msgget(key, IPC_CREAT | IPC_EXCL | 0600);
}

/* The sweep judges keys by the secret: an object keyed from the public token is not ours. */
static void test_sweep_ignores_token_keyed_objects(void **state)
{
	(void)state;
	int id = token_keyed_queue(TOKEN, 204);
	assert_true(id >= 0);
	assert_int_equal(sweep_group(getpgrp(), TOKEN, SECRET_V, NULL), 0);
	struct msqid_ds ds;
	assert_int_equal(msgctl(id, IPC_STAT, &ds), 0);
	msgctl(id, IPC_RMID, NULL);
}

static void test_keys_carry_the_secret_names_the_token(void **state)
{
	(void)state;
	assert_true(ipc_run_secret() == SECRET_V);
	int k = ipc_key();
	assert_true(ipc_key_is(k, SECRET_V, (long)getpgrp()));
	assert_false(ipc_key_is(k, OTHER_SECRET_V, (long)getpgrp()));
	assert_false(ipc_key_is(k, SECRET_V, (long)getpgrp() + 1));
	char name[128];
	ipc_name(name, sizeof(name));
	char want[64];
	snprintf(want, sizeof(want), "/ipcprobe-%s-%ld-", TOKEN, (long)getpgrp());
	assert_memory_equal(name, want, strlen(want));
	assert_null(strstr(name, SECRET));	/* names carry the token, never the secret */
}

int main(void)
{
	setenv("IPCPROBE_RUN_TOKEN", TOKEN, 1);
	setenv("IPCPROBE_RUN_SECRET", SECRET, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_carry_the_secret_names_the_token),
		cmocka_unit_test(test_sweep_takes_ours_and_leaves_another_runs),
		cmocka_unit_test(test_sweep_leaves_another_users_lookalikes),
		cmocka_unit_test(test_sweep_ignores_token_keyed_objects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
