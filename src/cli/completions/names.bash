
# Topic and group names, read from the data dir (`runnel topic list --names`,
# `runnel group list --names`, with the --data-dir typed on the line).
_runnel_names() {
    local i args=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
            --data-dir) args+=(--data-dir "${COMP_WORDS[i+1]}") ;;
            --data-dir=*) args+=("${COMP_WORDS[i]}") ;;
        esac
    done
    runnel "${args[@]}" "$1" list --names 2>/dev/null
}

_runnel_with_names() {
    _runnel "$@"
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" kind="" kept=""
    # Bash splits a word at ':' (COMP_WORDBREAKS), so a group id like app:v1
    # comes as app, :, v1. The word and the one before it are read back whole
    # from the line; the offers then leave out what bash keeps before the ':'.
    if [[ "$COMP_WORDBREAKS" == *:* && ( "$cur" == *:* || "$prev" == *:* ) ]]; then
        local before="${COMP_LINE:0:COMP_POINT}"
        cur="${before##*[[:space:]]}"
        before="${before%"$cur"}"
        before="${before%"${before##*[^[:space:]]}"}"
        prev="${before##*[[:space:]]}"
        [[ "$cur" == *:* ]] && kept="${cur%"${cur##*:}"}"
    fi
    [[ "$cur" == -* ]] && return 0
    local words=" ${COMP_WORDS[*]:1:COMP_CWORD-1} "
    case "$prev" in
        --group|-g) kind=group ;;
        --topic) kind=topic ;;
        -*) return 0 ;;
        *)
            case "$words" in
                *" consume "*|*" produce "*) kind=topic ;;
                *" topic describe "*|*" topic alter "*|*" topic delete "*|*" topic trim "*|*" topic wait "*) kind=topic ;;
                *" log dump "*|*" log verify "*|*" log clean "*|*" log du "*) kind=topic ;;
                *" group describe "*|*" group delete "*|*" group wait "*|*" group reset-offsets "*) kind=group ;;
            esac
            ;;
    esac
    [[ -z "$kind" ]] && return 0
    # A name goes here: offer the names, not the options.
    COMPREPLY=()
    local name
    # A group id may hold spaces or quotes: each name is offered quoted for the
    # shell (printf %q leaves a topic-like name as it is).
    while IFS= read -r name; do
        [[ "$name" == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "${name#"$kept"}")")
    done < <(_runnel_names "$kind")
    return 0
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _runnel_with_names -o nosort -o bashdefault -o default runnel
else
    complete -F _runnel_with_names -o bashdefault -o default runnel
fi
