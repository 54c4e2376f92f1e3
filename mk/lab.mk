# The kernel lab (README "The kernel lab"): Debian's 6.1 and 6.1 PREEMPT_RT kernels booted
# under QEMU, configs/kernels.yaml run inside each with this build, the runs brought back and
# put beside the host's.  Nothing here is needed by `make run` or `make test`.
#   make deps-lab   apt-get install qemu-system-x86, busybox-static, cpio and the two kernels
#   make lab        lab/lab.sh $(LAB_ARGS): every default kernel, the host, the side-by-side report
#   make test-lab   one kernel booted: its records arrive, its pipe capacity is its own
LAB_ARGS ?=
.PHONY: lab deps-lab test-lab
deps-lab:
	@sh lab/deps.sh

# The guest's own witness of its pipe facts (lab/guest_facts.c), packed beside the probes.
LAB_FACTS := $(BUILD)/lab/guest-facts
$(LAB_FACTS): lab/guest_facts.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

lab: all $(LAB_FACTS)
	@BUILD=$(BUILD) sh lab/lab.sh $(LAB_ARGS)

test-lab: all $(LAB_FACTS)
	@BUILD=$(BUILD) sh lab/test-lab.sh
