# bash completion for ipcprobe: subcommands, their options, YAML configs for run and check,
# run directories for report/history/compare/export, probe names for list (from `ipcprobe list`).
_ipcprobe()
{
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "run check list report history compare export version help --version --help" -- "$cur"))
		return
	fi
	case $prev in
	-o|--export-json) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--filter|--repetitions|--param|--match|--threshold) COMPREPLY=(); return ;;
	--format)
		if [ "$cmd" = compare ]; then
			COMPREPLY=($(compgen -W "text markdown json" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "gbench github-action-benchmark csv" -- "$cur"))
		fi
		return ;;
	--direction) COMPREPLY=($(compgen -W "smaller bigger" -- "$cur")); return ;;
	esac
	local opts
	case $cmd in
	run) opts="-o -q --quiet --filter --repetitions --param --export-json --help" ;;
	check) opts="--plan --help" ;;
	list) opts="--json --help" ;;
	report) opts="-o --help" ;;
	history) opts="-o --match --help" ;;
	compare) opts="--vs --threshold --format --allow-incomplete --allow-missing --allow-disturbed --help" ;;
	export) opts="--format --direction --help" ;;
	help) COMPREPLY=($(compgen -W "run check list report history compare export version" -- "$cur")); return ;;
	*) return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	case $cmd in
	run|check)
		COMPREPLY=($(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur")) ;;
	list)
		local probes
		probes=$("${COMP_WORDS[0]}" list 2>/dev/null | sed -n 's/^\([a-z_0-9]*\) — .*/\1/p')
		COMPREPLY=($(compgen -W "$probes" -- "$cur")) ;;
	*) COMPREPLY=($(compgen -d -- "$cur")) ;;
	esac
}
complete -F _ipcprobe ipcprobe
