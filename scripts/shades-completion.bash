# bash completion for shades; installed as share/bash-completion/completions/shades.
# Keep in step with harness/help.c (tests/help_cli.sh checks every command
# and option of `shades CMD --help` is here).
_shades() {
  local cur prev cmd opts
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  local commands="run report demo synth cohort import info check-adapter keygen sign verify rerun help version"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$commands -h --help -V --version" -- "$cur"))
    return
  fi
  cmd=${COMP_WORDS[1]}
  case "$prev" in
    --progress) COMPREPLY=($(compgen -W "auto bar lines off" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "txt md csv html" -- "$cur")); return ;;
    --timing) COMPREPLY=($(compgen -W "fail warn off" -- "$cur")); return ;;
    --out | --images | --config-dir | -o) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --key | --sign) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --threads | --call-timeout | --faces | --subjects | --seed | --timeout | --max-images | \
      --option | --set | --race) return ;;
  esac
  case "$cmd" in
    run) opts="--threads --progress --isolate --call-timeout --isolate-user --isolate-memory --isolate-files --resume --keep-checkpoint --no-checkpoint --sign" ;;
    report) opts="--format -o" ;;
    demo) opts="--out --threads --faces --subjects --images --progress" ;;
    synth) opts="--subjects --images --seed --threads --set" ;;
    cohort) opts="--subjects --images --seed" ;;
    import) opts="-o --images --race"
      if [ "$COMP_CWORD" -eq 2 ]; then
        COMPREPLY=($(compgen -W "ppb rfw bfw fairface utkface" -- "$cur"))
        return
      fi ;;
    info) opts="" ;;
    keygen) opts="" ;;
    sign) opts="--key" ;;
    verify) opts="--key" ;;
    rerun) opts="" ;;
    check-adapter) opts="--images --max-images --option --config-dir --timeout --timing --junit" ;;
    help)
      [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "$commands" -- "$cur"))
      return ;;
    *) return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts -h --help" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _shades shades
