/* test_sweep.c - the sweep after a probe removes what this run's probes made and nothing else
 * (issue 15): not an object of another user named and keyed exactly as ours, not an object of
 * another run whose process group has the same number (a PID namespace, a container), and
 * nothing at all without a run token.  Real kernel objects: POSIX shm, SysV message queues,
 * temporary files.  The other user's objects need root (setresuid); without it that test is
 * skipped. */
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
#define NOBODY 65534

struct objs {
	char shm[128], file[256];
	int key, msqid;
};

/* Names and key as a probe of the run with this token would make them in our group. */
static void name_objects(struct objs *o, const char *token, unsigned seq)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(o->shm, sizeof(o->shm), "/ipcprobe-%s-%ld-99999-%u", token, (long)getpgrp(), seq);
	snprintf(o->file, sizeof(o->file), "%s/ipcprobe-%s-%ld-99999-%u", tmp && *tmp ? tmp : "/tmp",
		 token, (long)getpgrp(), seq);
	o->key = IPC_KEY_MARK | (int)(ipc_key_tag(token, (long)getpgrp()) << 8) | (int)(seq & 0xff);
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
	name_objects(&ours, TOKEN, 201);
	name_objects(&other, OTHER, 202);
	assert_int_equal(create_objects(&ours), 0);
	assert_int_equal(create_objects(&other), 0);
	json_t *removed = json_array();
	assert_int_equal(sweep_group(getpgrp(), "0", NULL), 0);	/* no token: nothing */
	assert_int_equal(still_there(&ours), 3);
	assert_int_equal(sweep_group(getpgrp(), TOKEN, removed), 3);
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
	name_objects(&theirs, TOKEN, 203);	/* exactly our names and key */
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
	assert_int_equal(sweep_group(getpgrp(), TOKEN, NULL), 0);
	assert_int_equal(still_there(&theirs), 3);
	remove_objects(&theirs);
}

static void test_keys_carry_the_token(void **state)
{
	(void)state;
	int k = ipc_key();
	assert_true(ipc_key_is(k, TOKEN, (long)getpgrp()));
	assert_false(ipc_key_is(k, OTHER, (long)getpgrp()));
	assert_false(ipc_key_is(k, TOKEN, (long)getpgrp() + 1));
	char name[128];
	ipc_name(name, sizeof(name));
	char want[64];
	snprintf(want, sizeof(want), "/ipcprobe-%s-%ld-", TOKEN, (long)getpgrp());
	assert_memory_equal(name, want, strlen(want));
}

int main(void)
{
	setenv("IPCPROBE_RUN_TOKEN", TOKEN, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_carry_the_token),
		cmocka_unit_test(test_sweep_takes_ours_and_leaves_another_runs),
		cmocka_unit_test(test_sweep_leaves_another_users_lookalikes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
