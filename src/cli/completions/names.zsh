
# Topic and group names, read from the data dir.
(( $+functions[_runnel_topic_names] )) ||
_runnel_topic_names() {
    local -a names
    names=(${(f)"$(runnel topic list --names 2>/dev/null)"})
    _describe -t topics 'topic' names
}
(( $+functions[_runnel_group_names] )) ||
_runnel_group_names() {
    local -a names
    # A group id may hold a colon, which _describe reads as "name:description".
    names=(${${(f)"$(runnel group list --names 2>/dev/null)"}//:/\\:})
    _describe -t groups 'group' names
}
