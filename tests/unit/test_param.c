/* test_param.c - sizes, durations and typed parameters: units, ranges, overflow, and the
 * exact messages users read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "param.h"

static int64_t size_of(const char *text)
{
	int64_t v = -1;
	char err[256];
	assert_int_equal(parse_size(text, &v, err, sizeof(err)), 0);
	return v;
}

static void assert_size_error(const char *text, const char *msg)
{
	int64_t v;
	char err[256];
	assert_int_equal(parse_size(text, &v, err, sizeof(err)), -1);
	assert_string_equal(err, msg);
}

static void test_size_accepts_every_unit_and_plain_bytes(void **state)
{
	(void)state;
	assert_int_equal(size_of("4096"), 4096);
	assert_int_equal(size_of("4096B"), 4096);
	assert_int_equal(size_of("64KiB"), 65536);
	assert_int_equal(size_of("1MiB"), 1048576);
	assert_int_equal(size_of("2GiB"), 2147483648LL);
	assert_int_equal(size_of("1.5KiB"), 1536);
	assert_int_equal(size_of(" 8 KiB "), 8192);
	assert_int_equal(size_of("0"), 0);
}

static void test_size_rejects_bad_units_with_a_hint(void **state)
{
	(void)state;
	assert_size_error("64KB", "unknown unit \"KB\" in \"64KB\"; did you mean KiB? (units: B, "
				  "KiB, MiB, GiB, or plain bytes)");
	assert_size_error("1M", "unknown unit \"M\" in \"1M\"; did you mean MiB? (units: B, KiB, "
				"MiB, GiB, or plain bytes)");
	assert_size_error("12 parsecs", "unknown unit \"parsecs\" in \"12 parsecs\" (units: B, "
					"KiB, MiB, GiB, or plain bytes)");
	assert_size_error("1 KiB x", "expected a size (B, KiB, MiB, GiB, or plain bytes), got \"1 KiB x\"");
	assert_size_error("big", "expected a size with a unit (B, KiB, MiB, GiB, or plain bytes), "
				 "got \"big\"");
	assert_size_error("", "expected a size with a unit (B, KiB, MiB, GiB, or plain bytes), "
			      "got \"\"");
}

static void test_size_rejects_negative_fractional_bytes_and_overflow(void **state)
{
	(void)state;
	assert_size_error("-1", "expected a size (B, KiB, MiB, GiB, or plain bytes), got negative "
				"\"-1\"");
	assert_size_error("1.5B", "size \"1.5B\" is not a whole number of bytes");
	assert_size_error("18446744073709551616", "size \"18446744073709551616\" is too large");
	assert_size_error("9223372036854775807KiB", "size \"9223372036854775807KiB\" is too large");
	assert_size_error("1.", "expected digits after the decimal point in \"1.\"");
}

/* Every digit counts (issue 15): the tenth digit after the point is not dropped, trailing
 * zeros are, and a whole result from many digits is exact. */
static void test_fractions_are_exact(void **state)
{
	(void)state;
	int64_t v;
	char err[256];
	assert_size_error("1.0000000001KiB", "size \"1.0000000001KiB\" is not a whole number of bytes");
	assert_int_equal(size_of("1.0009765625KiB"), 1025);
	assert_int_equal(size_of("1.50000000000000000000000KiB"), 1536);
	assert_size_error("1.00000000000000000001KiB", "size \"1.00000000000000000001KiB\" has "
				"more digits after the point than can be exact (19)");
	assert_int_equal(parse_duration("0.999999999m", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 59999999940LL);
	assert_int_equal(parse_duration("1.5h", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 5400000000000LL);
	assert_int_equal(parse_duration("0.0000000001s", &v, err, sizeof(err)), -1);
}

static void test_duration_demands_a_unit_and_converts_to_ns(void **state)
{
	(void)state;
	int64_t v;
	char err[256];
	assert_int_equal(parse_duration("500ms", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 500000000);
	assert_int_equal(parse_duration("2s", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 2000000000);
	assert_int_equal(parse_duration("10us", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 10000);
	assert_int_equal(parse_duration("1.5ms", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1500000);
	assert_int_equal(parse_duration("250", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "expected a duration with a unit (ns, us, ms, s), got \"250\"");
	assert_int_equal(parse_duration("2sec", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "unknown unit \"sec\" in \"2sec\"; did you mean s? (units: ns, us, "
				 "ms, s)");
}

static const char *const modes[] = { "broker", "shared_mutex", "atomic", NULL };
static const struct param_desc p_size = { "chunk", PT_SIZE, "4KiB", "1", "1MiB", NULL, "" };
static const struct param_desc p_int = { "clients", PT_INT, "1", "1", "64", NULL, "" };
static const struct param_desc p_enum = { "mode", PT_ENUM, "broker", NULL, NULL, modes, "" };
static const struct param_desc p_bool = { "verify", PT_BOOL, "false", NULL, NULL, NULL, "" };
static const struct param_desc p_min = { "n", PT_INT, "5", "5", NULL, NULL, "" };

static void test_param_rejects_size_above_max_and_zero_below_min(void **state)
{
	(void)state;
	struct param_value v;
	char err[256];
	assert_int_equal(param_parse(&p_size, "2MiB", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "expected a size between 1 B and 1 MiB, got 2MiB");
	assert_int_equal(param_parse(&p_size, "0", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "expected a size between 1 B and 1 MiB, got 0");
	assert_int_equal(param_parse(&p_size, "1MiB", &v, err, sizeof(err)), 0);
	assert_int_equal(v.i, 1048576);
	assert_int_equal(param_parse(&p_int, "65", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "expected an integer between 1 and 64, got 65");
	assert_int_equal(param_parse(&p_int, "x", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "expected an integer, got \"x\"");
	assert_int_equal(param_parse(&p_min, "4", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "expected an integer of at least 5, got 4");
}

static void test_param_enum_suggests_the_nearest_choice(void **state)
{
	(void)state;
	struct param_value v;
	char err[256];
	assert_int_equal(param_parse(&p_enum, "atomic", &v, err, sizeof(err)), 0);
	assert_int_equal(v.i, 2);
	assert_string_equal(v.s, "atomic");
	assert_int_equal(param_parse(&p_enum, "shared-mutex", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "expected one of broker, shared_mutex, atomic, got \"shared-mutex\"; "
				 "did you mean shared_mutex?");
	assert_int_equal(param_parse(&p_enum, "zzzzzz", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "expected one of broker, shared_mutex, atomic, got \"zzzzzz\"");
}

static void test_param_bool_takes_yaml_spellings(void **state)
{
	(void)state;
	struct param_value v;
	char err[256];
	assert_int_equal(param_parse(&p_bool, "yes", &v, err, sizeof(err)), 0);
	assert_int_equal(v.i, 1);
	assert_int_equal(param_parse(&p_bool, "false", &v, err, sizeof(err)), 0);
	assert_int_equal(v.i, 0);
	assert_int_equal(param_parse(&p_bool, "maybe", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "expected true or false, got \"maybe\"");
}

static void test_fmt_keeps_exact_units_and_names_close_words(void **state)
{
	(void)state;
	char b[64];
	assert_string_equal(fmt_size(65536, b, sizeof(b)), "64 KiB");
	assert_string_equal(fmt_size(1536, b, sizeof(b)), "1536 B");
	assert_string_equal(fmt_size(219264, b, sizeof(b)), "219264 B (~214.1 KiB)");
	assert_string_equal(fmt_duration(999, b, sizeof(b)), "999 ns");
	assert_string_equal(fmt_duration(1500000, b, sizeof(b)), "1.5 ms");
	/* a difference of durations: scaled like any other, signed (it printed "-48553 ns") */
	assert_string_equal(fmt_duration(-48553, b, sizeof(b)), "-48.6 us");
	assert_string_equal(fmt_duration(-999, b, sizeof(b)), "-999 ns");
	assert_string_equal(fmt_duration(-3000000000LL, b, sizeof(b)), "-3 s");
	static const char *const names[] = { "repetitions", "timeout", "probes", NULL };
	assert_string_equal(closest_name("repetitons", names), "repetitions");
	assert_null(closest_name("banana", names));
	assert_int_equal(edit_distance("kitten", "sitting"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_accepts_every_unit_and_plain_bytes),
		cmocka_unit_test(test_size_rejects_bad_units_with_a_hint),
		cmocka_unit_test(test_size_rejects_negative_fractional_bytes_and_overflow),
		cmocka_unit_test(test_fractions_are_exact),
		cmocka_unit_test(test_duration_demands_a_unit_and_converts_to_ns),
		cmocka_unit_test(test_param_rejects_size_above_max_and_zero_below_min),
		cmocka_unit_test(test_param_enum_suggests_the_nearest_choice),
		cmocka_unit_test(test_param_bool_takes_yaml_spellings),
		cmocka_unit_test(test_fmt_keeps_exact_units_and_names_close_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
