# bash completion for ipcprobe: commands, their options (and the values of those that take a
# few), YAML configs for run and check, run directories for report/history/compare/export,
# probe names for list (from `ipcprobe list`).  The words come from the option table
# (runner/common/options.c), written into the block below by `make docs`.
# BEGIN generated: words -- written from runner/common/options.c by make docs: edit the table there
_ipcprobe_commands="run check list report history compare export version help"
# The options of command $1; what its operands are.
_ipcprobe_options() {
	case $1 in
	run) echo "-o -q --quiet --filter --repetitions --param --export-json -h --help" ;;
	check) echo "--plan -h --help" ;;
	list) echo "--json -h --help" ;;
	report) echo "-o -h --help" ;;
	history) echo "-o --match -h --help" ;;
	compare) echo "--vs --threshold --format --allow-incomplete --allow-missing --allow-disturbed -h --help" ;;
	export) echo "--format --direction -h --help" ;;
	version) echo "-h --help" ;;
	help) echo "-h --help" ;;
	esac
}
_ipcprobe_operands() {
	case $1 in
	run) echo config ;;
	check) echo config ;;
	list) echo probe ;;
	report) echo dir ;;
	history) echo dir ;;
	compare) echo dir ;;
	export) echo dir ;;
	version) echo none ;;
	help) echo command ;;
	esac
}
# What the value of option $2 of command $1 is: file, dir, words WORD..., or any;
# nothing when the option takes no value.
_ipcprobe_value() {
	case "$1 $2" in
	"run -o") echo dir ;;
	"run --filter") echo any ;;
	"run --repetitions") echo any ;;
	"run --param") echo any ;;
	"run --export-json") echo file ;;
	"report -o") echo dir ;;
	"history -o") echo dir ;;
	"history --match") echo any ;;
	"compare --threshold") echo any ;;
	"compare --format") echo words text markdown json ;;
	"export --format") echo words gbench github-action-benchmark csv ;;
	"export --direction") echo words smaller bigger ;;
	esac
}
# END generated: words

_ipcprobe()
{
	local cur prev cmd opt kind pre=
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$_ipcprobe_commands --version --help" -- "$cur"))
		return
	fi
	# The value of an option: `--format json`, or `--format=json` (bash splits at the "=").
	opt=$prev
	if [ "$cur" = "=" ]; then
		opt=$prev cur=
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 3 ]; then
		opt=${COMP_WORDS[COMP_CWORD-2]}
	elif [[ $cur == --*=* ]]; then	# "=" not among COMP_WORDBREAKS: one word
		opt=${cur%%=*} cur=${cur#*=} pre=$opt=
	fi
	kind=$(_ipcprobe_value "$cmd" "$opt")
	case $kind in
	file) COMPREPLY=($(compgen -P "$pre" -f -- "$cur")); return ;;
	dir) COMPREPLY=($(compgen -P "$pre" -d -- "$cur")); return ;;
	words\ *) COMPREPLY=($(compgen -P "$pre" -W "${kind#words }" -- "$cur")); return ;;
	any) COMPREPLY=(); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_ipcprobe_options "$cmd")" -- "$cur"))
		return
	fi
	case $(_ipcprobe_operands "$cmd") in
	config)
		COMPREPLY=($(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur")) ;;
	probe)
		local probes
		probes=$("${COMP_WORDS[0]}" list 2>/dev/null | sed -n 's/^\([a-z_0-9]*\) — .*/\1/p')
		COMPREPLY=($(compgen -W "$probes" -- "$cur")) ;;
	dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
	command) COMPREPLY=($(compgen -W "$_ipcprobe_commands" -- "$cur")) ;;
	*) COMPREPLY=() ;;
	esac
}
complete -F _ipcprobe ipcprobe
