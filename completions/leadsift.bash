# bash completion for leadsift(1)                          -*- shell-script -*-
# SPDX-License-Identifier: MIT
# Installed as $(PREFIX)/share/bash-completion/completions/leadsift; works
# with or without the bash-completion package (source it by hand).

_leadsift_options()
{
	case $1 in
	score)
		echo "-p --personas --base --threshold --today -o --output -j --jobs --no-header
			--header-line --header-from -d --delimiter -t --tab --encoding --prefix --replace --only
			--stats --rejects --max-rejects --max-record-bytes --min-rows --max-unreadable
			-q --quiet -v --verbose
			--progress --no-progress -h --help -V --version" ;;
	check)
		echo "-p --personas --header -d --delimiter -t --tab --encoding --strict -q --quiet --base
			--threshold --today -h --help" ;;
	explain)
		echo "-p --personas -r --row -w --where --json -d --delimiter -t --tab --encoding --base
			--threshold --today -h --help" ;;
	backtest)
		echo "-p --personas --outcome --lost --value --cost-per-lead --json --html --bin-width --by --period -d --delimiter
			-t --tab --encoding --base --threshold --today -h --help" ;;
	discover)
		echo "-p --personas --outcome --lost --all --exclude --holdout --seed --train-until --by
			--max-values --top --json -o --output -d --delimiter -t --tab --encoding --base
			--threshold --today -h --help" ;;
	diff)
		echo "--old --new -o --output --outcome --lost --value --cost-per-lead --json -d --delimiter
			-t --tab --encoding --base --threshold --today -h --help" ;;
	merge)
		echo "-o --output -h --help" ;;
	esac
}

# Words matching $cur: directories, then files ending in one of the suffixes.
_leadsift_files()
{
	local cur=$1 suffix f
	shift
	local IFS=$'\n'
	COMPREPLY=()
	for f in $(compgen -d -- "$cur"); do
		COMPREPLY+=("$f/")
	done
	if [ $# -eq 0 ]; then
		COMPREPLY+=($(compgen -f -- "$cur"))
	else
		for suffix in "$@"; do
			COMPREPLY+=($(compgen -f -X "!*$suffix" -- "$cur"))
		done
	fi
	# Directories end in '/' so that completing goes on inside them.
	compopt -o nospace -o filenames 2>/dev/null
}

_leadsift()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd=score i word
	COMPREPLY=()

	# The subcommand, if any, is the first word after "leadsift".
	if [ "$COMP_CWORD" -gt 1 ]; then
		word=${COMP_WORDS[1]}
		case $word in
		check | explain | backtest | discover | diff) cmd=$word ;;
		stats)
			if [ "$COMP_CWORD" -eq 2 ]; then
				COMPREPLY=($(compgen -W "merge" -- "$cur"))
				return
			fi
			cmd=merge ;;
		esac
	fi

	case $prev in
	-p | --personas | --old | --new)
		_leadsift_files "$cur" .json
		return ;;
	-o | --output)
		[ "$cmd" = merge ] && _leadsift_files "$cur" .json || _leadsift_files "$cur" .csv
		return ;;
	--stats)
		_leadsift_files "$cur" .json
		return ;;
	--html)
		_leadsift_files "$cur" .html
		return ;;
	--rejects | --header-from | --header)
		_leadsift_files "$cur" .csv .tsv .txt
		return ;;
	--only)
		COMPREPLY=($(compgen -W "qualified disqualified" -- "$cur"))
		return ;;
	-d | --delimiter)
		COMPREPLY=($(compgen -W "auto tab , ';' '|'" -- "$cur"))
		return ;;
	--encoding)
		COMPREPLY=($(compgen -W "windows-1252 latin1 iso-8859-15 utf-8 cp932" -- "$cur"))
		return ;;
	--period)
		COMPREPLY=($(compgen -W "month quarter year" -- "$cur"))
		return ;;
	--today)
		COMPREPLY=($(compgen -W "$(date +%Y-%m-%d)" -- "$cur"))
		return ;;
	-j | --jobs)
		COMPREPLY=($(compgen -W "0 1 2 4 8 $(getconf _NPROCESSORS_ONLN 2>/dev/null)" -- "$cur"))
		return ;;
	--base | --threshold | --prefix | --max-rejects | --max-record-bytes | --min-rows | \
		--max-unreadable | --header-line | \
		-r | --row | -w | --where | --outcome | --lost | --value | --cost-per-lead | --bin-width | --by | \
		--exclude | --holdout | --seed | --train-until | --max-values | --top)
		return ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_leadsift_options "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	check) ;;
	merge) _leadsift_files "$cur" .json ;;
	*)
		_leadsift_files "$cur" .csv .tsv .txt
		if [ "$COMP_CWORD" -eq 1 ]; then
			COMPREPLY+=($(compgen -W "check explain backtest discover diff stats" -- "$cur"))
		fi ;;
	esac
}

complete -F _leadsift leadsift
