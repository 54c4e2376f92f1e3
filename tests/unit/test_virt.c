/* test_virt.c - what the VM detection makes of the CPUID signatures, /proc/cpuinfo texts and
 * DMI strings a guest or a physical machine shows (issue 18: run.json says KVM or emulation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>

#include "store/virt.h"

static void test_signatures_tell_kvm_from_tcg(void **state)
{
	(void)state;
	const struct virt_sig *s = virt_signature("KVMKVMKVM\0\0\0");
	assert_non_null(s);
	assert_string_equal(s->name, "KVM");
	assert_string_equal(s->execution, "hardware virtualization (KVM)");
	s = virt_signature("TCGTCGTCGTCG");
	assert_non_null(s);
	assert_string_equal(s->name, "QEMU TCG");
	assert_string_equal(s->execution, "emulated (QEMU TCG)");
	assert_string_equal(virt_signature("Microsoft Hv")->name, "Hyper-V");
	assert_null(virt_signature("KVMKVMKVMKVM"));	/* the padding is part of it */
	assert_null(virt_signature("GenuineIntel"));
}

static void test_cpuinfo_flag_is_a_whole_word(void **state)
{
	(void)state;
	assert_int_equal(virt_cpuinfo_hypervisor("processor\t: 0\n"
						 "flags\t\t: fpu vme hypervisor lahf_lm\n"), 1);
	assert_int_equal(virt_cpuinfo_hypervisor("flags\t\t: fpu hypervisor\nbugs\t: x\n"), 1);
	assert_int_equal(virt_cpuinfo_hypervisor("flags\t\t: fpu vme de pse\n"), 0);
	/* a flag that merely contains the word is not it */
	assert_int_equal(virt_cpuinfo_hypervisor("flags\t\t: nothypervisor hypervisors\n"), 0);
	/* no flags line (arm64 says "Features"): no evidence either way */
	assert_int_equal(virt_cpuinfo_hypervisor("processor\t: 0\nFeatures\t: fp asimd\n"), -1);
	assert_int_equal(virt_cpuinfo_hypervisor(""), -1);
}

static void test_dmi_vendors(void **state)
{
	(void)state;
	assert_string_equal(virt_dmi_hypervisor("QEMU", "Standard PC (Q35 + ICH9, 2009)"), "QEMU");
	assert_string_equal(virt_dmi_hypervisor("Microsoft Corporation", "Virtual Machine"), "Hyper-V");
	/* a Surface is Microsoft hardware, not a Hyper-V guest */
	assert_null(virt_dmi_hypervisor("Microsoft Corporation", "Surface Laptop 4"));
	assert_null(virt_dmi_hypervisor("Dell Inc.", "PowerEdge R640"));
	assert_null(virt_dmi_hypervisor(NULL, NULL));
}

static void test_facts_are_all_there(void **state)
{
	(void)state;
	json_t *p = json_object();
	virt_add_facts(p);
	static const char *const keys[] = { "virtual_machine", "hypervisor", "cpu_execution",
					    "virt_evidence", "vm_vcpus", "vm_memory_bytes" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_non_null(json_object_get(p, keys[i]));
	/* in a VM the vCPUs and memory are numbers; outside one they are null */
	json_t *vm = json_object_get(p, "virtual_machine");
	assert_int_equal(json_is_integer(json_object_get(p, "vm_vcpus")), json_is_true(vm));
	assert_int_equal(json_is_integer(json_object_get(p, "vm_memory_bytes")), json_is_true(vm));
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signatures_tell_kvm_from_tcg),
		cmocka_unit_test(test_cpuinfo_flag_is_a_whole_word),
		cmocka_unit_test(test_dmi_vendors),
		cmocka_unit_test(test_facts_are_all_there),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
