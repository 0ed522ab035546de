# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_runnel_global_optspecs
    string join \n data-dir= lock-timeout= config-file= q/quiet bootstrap-server= X= profile= h/help V/version
end

function __fish_runnel_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_runnel_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_runnel_using_subcommand
    set -l cmd (__fish_runnel_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c runnel -n "__fish_runnel_needs_command" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_needs_command" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_needs_command" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_needs_command" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_needs_command" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_needs_command" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_needs_command" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_needs_command" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_needs_command" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "init" -d 'Create a cluster of N brokers in the data directory'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "topic" -d 'Create, list, describe, alter and delete topics'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "broker" -d 'List, add, fail and recover brokers'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "elect-leaders" -d 'Elect leaders: back to the preferred replicas, or unclean for offline partitions'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "metadata" -d 'Brokers, topics, partitions, leaders and in-sync replicas at a glance (kcat -L)'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "produce" -d 'Write standard input, one message per line, to a topic'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "mirror" -d 'Copy topics between data dirs and Kafka clusters, either way (--follow keeps them in sync)'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "consume" -d 'Read messages from topics to standard output (alone, or as a group member)'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "log" -d 'Verify, dump and clean the logs on disk, and show their disk usage'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "group" -d 'List, describe, wait for, reset the offsets of and delete consumer groups'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "serve" -d 'Serve the data dir to Kafka clients over Kafka\'s wire protocol'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "demo" -d 'A guided tour of the whole model, in a temporary directory'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c runnel -n "__fish_runnel_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c runnel -n "__fish_runnel_using_subcommand init" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand init" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand init" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand init" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand init" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand init" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand init" -l brokers -d 'How many brokers (folders broker-0, broker-1, ...) the cluster has' -r
complete -c runnel -n "__fish_runnel_using_subcommand init" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand init" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand init" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -f -a "create" -d 'Create a topic'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -f -a "list" -d 'List the topics'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -f -a "describe" -d 'Show a topic\'s partitions, leaders, replicas, offsets and configs'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -f -a "alter" -d 'Add partitions to a topic or change its configs'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -f -a "delete" -d 'Delete a topic and all its data'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -f -a "wait" -d 'Wait until a topic\'s high watermarks reach an offset or a message count'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -f -a "offsets" -d 'The offset of each partition at a time, without consuming (kcat -Q)'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -f -a "trim" -d 'Delete the records before an offset or a time (Kafka\'s delete-records)'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and not __fish_seen_subcommand_from create list describe alter delete wait offsets trim help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -s p -l partitions -d 'How many partitions' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -s r -l replication-factor -d 'How many replicas of each partition, on distinct brokers' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -s c -l config -d 'A topic config, Kafka\'s names (repeatable): retention.ms, segment.bytes, cleanup.policy, ...' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -l if-not-exists -d 'Exit 0 if the topic already exists (kafka-topics\' flag; its settings are not compared)'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from list" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from list" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from list" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from list" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from list" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from list" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from list" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from list" -l names -d 'Only the names, one per line (like kafka-topics --list)'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -l under-replicated -l under-replicated-partitions -d 'Only partitions with fewer in-sync replicas than replicas, or an in-sync replica down'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -l unavailable -l unavailable-partitions -d 'Only partitions with no leader, or whose leader\'s broker is down'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -l configs -d 'Show the configs set on the topics (like kafka-configs --describe), not the partitions'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -l all -d 'With --configs: every config, with its source (default or topic)'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from describe" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -s p -l partitions -d 'The new partition count (it can only grow, as in Kafka)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -s c -l config -d 'Set a topic config (repeatable)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -l delete-config -d 'Remove a config, going back to its default (repeatable)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from alter" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from delete" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from delete" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from delete" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from delete" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from delete" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from delete" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from delete" -l if-exists -d 'Exit 0 if there is no such topic (kafka-topics\' flag)'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -l offset -d 'Until the high watermark of each partition (or of --partition) is at least N' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -l messages -d 'Until the partitions hold at least N messages in all (high watermark minus log start)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -s p -l partition -d 'Only this partition' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -l timeout -d 'Give up after this long (exit 124)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from wait" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -l time -d 'latest (-1), earliest (-2), ms since the epoch, @MS, an RFC 3339 time or -DURATION: the first offset stamped at or after it (the log end if none is)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -s p -l partition -d 'Only these partitions [default: all]' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from offsets" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -l before -d 'Delete records before this: an offset, @UNIX_MS, an RFC 3339 time, -DURATION (older than that), -N (all but the last N), or `end`' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -s p -l partition -d 'Only this partition [default: all]' -r
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from trim" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a topic'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the topics'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "describe" -d 'Show a topic\'s partitions, leaders, replicas, offsets and configs'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "alter" -d 'Add partitions to a topic or change its configs'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a topic and all its data'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Wait until a topic\'s high watermarks reach an offset or a message count'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "offsets" -d 'The offset of each partition at a time, without consuming (kcat -Q)'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "trim" -d 'Delete the records before an offset or a time (Kafka\'s delete-records)'
complete -c runnel -n "__fish_runnel_using_subcommand topic; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -f -a "list" -d 'List the brokers: status, partitions led, replicas hosted'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -f -a "add" -d 'Add a broker (an empty folder, up) with the next id'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -f -a "fail" -d 'Take a broker down: it leaves every ISR and its partitions elect new leaders'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -f -a "recover" -d 'Bring a broker back: its replicas catch up with their leaders and rejoin the ISR'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and not __fish_seen_subcommand_from list add fail recover help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from list" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from list" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from list" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from list" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from list" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from list" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from list" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from add" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from add" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from add" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from add" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from add" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from add" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from fail" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from fail" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from fail" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from fail" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from fail" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from fail" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from fail" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from fail" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from fail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from fail" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from recover" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from recover" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from recover" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from recover" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from recover" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from recover" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from recover" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from recover" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from recover" -l repair -d 'Also verify every frame of its replicas and rebuild damaged ones from in-sync replicas'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from recover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from recover" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the brokers: status, partitions led, replicas hosted'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a broker (an empty folder, up) with the next id'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "fail" -d 'Take a broker down: it leaves every ISR and its partitions elect new leaders'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "recover" -d 'Bring a broker back: its replicas catch up with their leaders and rejoin the ISR'
complete -c runnel -n "__fish_runnel_using_subcommand broker; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -l preferred -d 'Move leadership back to each partition\'s first replica when it is up and in sync (the default)'
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -l unclean -d 'Give offline partitions a leader from any live replica, even out of sync (records may be lost)'
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand elect-leaders" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand metadata" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand metadata" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand metadata" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand metadata" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand metadata" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand metadata" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand metadata" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand metadata" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand metadata" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand metadata" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand produce" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand produce" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand produce" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand produce" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand produce" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand produce" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand produce" -s f -l format -d 'How input lines are read' -r -f -a "lines\t'Each line is a message value, bytes as they are'
json\t'Each line is an envelope {"key", "value", "headers", "partition", "timestamp"}'"
complete -c runnel -n "__fish_runnel_using_subcommand produce" -s k -l key-field -d 'Take the key from this field of each JSON line (user.id or .user.id); the whole line is the value' -r
complete -c runnel -n "__fish_runnel_using_subcommand produce" -s K -l key-separator -d 'Split each line into key and value at the first SEP; a line without SEP is an error naming it, as in kafka-console-producer' -r
complete -c runnel -n "__fish_runnel_using_subcommand produce" -l null-value -d 'A value that stands for null (a tombstone), in the lines format' -r
complete -c runnel -n "__fish_runnel_using_subcommand produce" -s p -l partition -d 'Send every message to this partition' -r
complete -c runnel -n "__fish_runnel_using_subcommand produce" -s H -l header -d 'A header every message gets (repeatable; a name may repeat, as Kafka allows; before an envelope\'s own headers)' -r
complete -c runnel -n "__fish_runnel_using_subcommand produce" -l acks -d 'Which replicas must have a message on disk before exit 0 (Kafka\'s acks)' -r -f -a "0\t'Don\'t wait for the disk'
1\t'The leader has it on disk'
all\t'Every in-sync replica has it on disk'"
complete -c runnel -n "__fish_runnel_using_subcommand produce" -l partitions -d 'With --create: the partition count of the new topic [default: 1; with --format json, enough for every partition the envelopes name, at least the count of the topic they were consumed from if it is in this data dir]' -r
complete -c runnel -n "__fish_runnel_using_subcommand produce" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand produce" -l allow-keyless -d 'With --key-separator: a line without SEP becomes a record with a null key, the whole line its value (Kafka\'s ignore.error)'
complete -c runnel -n "__fish_runnel_using_subcommand produce" -l create -d 'Create the topic (one partition, or --partitions N) if it does not exist'
complete -c runnel -n "__fish_runnel_using_subcommand produce" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand produce" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -l from -d 'Where to copy from: a data dir or Kafka bootstrap servers' -r
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -l to -d 'Where to copy to: a data dir or Kafka bootstrap servers' -r
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -s g -l group -d 'The mirror\'s group on the source, which keeps its progress [default: runnel-mirror-ID, ID the target\'s cluster id]' -r
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -l replication-factor -d 'The replication factor of topics created on the target [default: the source\'s, at most the target\'s brokers]' -r
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -s r -l regex -d 'The topics are regular expressions, each matching whole topic names (\'rides.*\')'
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -s F -l follow -d 'Keep copying: new records, new partitions and (without named topics) new topics'
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand mirror" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s o -l from -l offset -d 'Where to start: beginning, end, an offset, -N (N before the end), +N (N after the start), @UNIX_MS (kcat\'s s@UNIX_MS), an RFC 3339 time, or -DURATION (-15m); or a range FROM:UNTIL (rpk\'s :end reads what is there now); with --group, for partitions without a committed offset [default: beginning; with --group: as --offset-reset says]' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s p -l partition -d 'Read only these partitions (-p 0 -p 2, or -p 0,2)' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s n -s c -l max-messages -d 'Stop after this many messages (kcat\'s -c)' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l until -d 'Where to stop: end (the log end when the command started), an offset (exclusive), -N, @UNIX_MS (kcat\'s e@UNIX_MS), an RFC 3339 time or -DURATION; implies waiting for it like --follow' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l timeout -d 'Exit (code 124) when no message arrived for this long' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s f -l format -d 'value (one value per line), json (one envelope per line), or a template [default: value, or the config file\'s consume-format]' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s g -l group -d 'Join this consumer group: share the partitions with its other members and commit offsets as messages are written' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l client-id -d 'The client id shown by `group describe` (with --group) [default: runnel-PID]' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l assignment-strategy -d 'How the group divides partitions among its members (Kafka\'s assignors; cooperative-sticky rebalances incrementally); every member must use the same one (with --group) [default: range]' -r -f -a "range\t'Kafka\'s RangeAssignor: each member a contiguous range of each topic\'s partitions'
roundrobin\t'Kafka\'s RoundRobinAssignor: all partitions dealt out in turn'
sticky\t'Kafka\'s StickyAssignor: balanced, and moves as few partitions as possible at a rebalance'
cooperative-sticky\t'Kafka\'s CooperativeStickyAssignor: sticky, and members keep reading what they retain; moved partitions are released by their old owner before the new one starts them'"
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l session-timeout -d 'A member silent (hung) for this long is evicted and its partitions reassigned; a member that dies is noticed at once (with --group) [default: 10s; Kafka\'s session.timeout.ms is 45s, for members on other machines]' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l offset-reset -d 'Kafka\'s auto.offset.reset, with --group: where a partition without a committed offset (and no --from) starts, and where a committed offset outside the log moves to [default: earliest; Kafka\'s default is latest]' -r -f -a "earliest\t'The log start'
latest\t'The log end: only what is produced from now on'
none\t'No reset: exit 66 (Kafka\'s NoOffsetForPartition / OffsetOutOfRange)'"
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l share -d 'Join this share group (Kafka\'s queues, KIP-932): every member reads every partition, each record is handed to one member at a time and acknowledged one by one' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l lock-duration -d 'How long a member holds the records it acquired before they go to another (Kafka\'s group.share.record.lock.duration.ms) (with --share) [default: 30s]' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l exec -d 'Run CMD (with sh -c) on each batch of records, one record per line on its stdin in --format; offsets are committed only after it exits 0. Its environment: RUNNEL_TOPIC, RUNNEL_PARTITION, RUNNEL_OFFSET (first), RUNNEL_OFFSET_LAST, RUNNEL_COUNT, RUNNEL_KEY (a batch of one), RUNNEL_DELIVERY (delivery count), RUNNEL_GROUP. With --share, a batch is accepted when it exits 0 and released (delivered again) when it fails' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l batch -d 'Records per batch, from one partition [default: 1]' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l batch-timeout -d 'Run a partial batch once its oldest record waited this long [default: 1s]' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l retry-backoff -d 'The wait before a failed batch is tried again, record by record; doubles each retry of a record up to --retry-backoff-max [default: 100ms]' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l retry-backoff-max -d 'The longest wait between two tries [default: 10s]' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l max-deliver -d 'Deliveries of a record before it goes to --dead-letter; without one the member stops (exit 123) with offsets committed up to that record; with --share, Kafka\'s group.share.delivery.count.limit: then it is archived [default: 5]' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l dead-letter -d 'Where records that failed --max-deliver times go, with headers runnel.errors.* saying where they came from and how the command exited (created if missing); with --share, the records archived at --max-deliver' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l parallel -d 'Batches of different partitions run at once (order within a partition is kept) [default: 1]' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l to -d 'Produce CMD\'s output lines to TOPIC instead of printing them; appending them and committing the input are one step: each output appears once across crashes (a data dir)' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l to-key-field -d 'The key of each output line: the field at PATH of the line as JSON (like produce)' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l to-key-separator -d 'The key of each output line: the bytes before SEP (like produce --key-separator)' -r
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s r -l regex -d 'The topics are regular expressions, each matching whole topic names (\'rides.*\')'
complete -c runnel -n "__fish_runnel_using_subcommand consume" -l from-beginning -d 'Start at the beginning (kafka-console-consumer\'s flag; the default without --group)'
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s F -l follow -d 'Keep waiting for new messages (like tail -F)'
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s e -l exit-at-end -d 'Exit at the end of the partitions: the default without --follow (kcat\'s -e)'
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s Z -l print-nulls -d 'Print NULL for a null key or value (kcat\'s -Z), not an empty string'
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand consume" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -f -a "verify" -d 'Check every frame, index entry and metadata file (exit 74 on damage)'
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -f -a "dump" -d 'Print the frames and records of a segment file, a replica folder or a partition, or an index\'s entries'
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -f -a "clean" -d 'Apply retention and compaction now, on every in-sync replica'
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -f -a "du" -d 'Show disk usage per broker, topic and partition'
complete -c runnel -n "__fish_runnel_using_subcommand log; and not __fish_seen_subcommand_from verify dump clean du help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from verify" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from verify" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from verify" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from verify" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from verify" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from verify" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from verify" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from verify" -l repair -d 'Repair what a healthy in-sync replica can fix, then report again'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -s f -l format -d 'How to print' -r -f -a "text\t'kafka-dump-log\'s lines: one per frame, one per record starting with \'|\''
json\t'One JSON object per frame, its records in "records"'"
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -l records -d 'Print the records of each frame (the default)'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -l no-records -d 'Print only the frame lines'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from dump" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from clean" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from clean" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from clean" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from clean" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from clean" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from clean" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from clean" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from clean" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from clean" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from clean" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from du" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from du" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from du" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from du" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from du" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from du" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from du" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from du" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from du" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from du" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check every frame, index entry and metadata file (exit 74 on damage)'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "dump" -d 'Print the frames and records of a segment file, a replica folder or a partition, or an index\'s entries'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "clean" -d 'Apply retention and compaction now, on every in-sync replica'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "du" -d 'Show disk usage per broker, topic and partition'
complete -c runnel -n "__fish_runnel_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -f -a "list" -d 'List the groups (consumer and share) with their type, state and member count'
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -f -a "describe" -d 'Show a group\'s members, assignment, committed offsets and lag'
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -f -a "reset-offsets" -d 'Move a group\'s committed offsets (a dry run unless --execute)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -f -a "delete" -d 'Delete a group and its committed offsets'
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -f -a "delete-offsets" -d 'Delete some of a group\'s committed offsets (Kafka\'s --delete-offsets)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -f -a "wait" -d 'Wait until a group\'s lag, member count or state reaches a point'
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -f -a "pending" -d 'Show what a group has in flight, retried and waiting (consumer or share group)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets wait pending help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from list" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from list" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from list" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from list" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from list" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from list" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from list" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from list" -l names -d 'Only the names, one per line (like kafka-consumer-groups --list)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -l members -d 'The live members and their assignments (kafka-consumer-groups --members)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -l state -d 'The group\'s state, strategy, generation and member count (--state)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from describe" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l topic -d 'A topic, or some of its partitions as TOPIC:0,1,2 (repeatable)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l to-offset -d 'To this offset' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l shift-by -d 'Forward (N) or back (-N) from the committed offset' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l to-datetime -d 'To the first message at or after this time: @UNIX_MS, an RFC 3339 time or -DURATION (-1h)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l by-duration -d 'To the first message at or after this long ago: an ISO-8601 duration (PT1H30M, P1D) or 1h30m' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l from-file -d 'To the offsets in this CSV file (topic,partition,offset per line, as --export prints)' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l all-topics -d 'Every partition the group has committed offsets for'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l to-earliest -d 'To each partition\'s log start'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l to-latest -d 'To each partition\'s log end (skip everything not read yet)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l to-current -d 'To the committed offset (the log end where there is none): a plan to --export'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l execute -d 'Apply the plan (without it, only show it)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l dry-run -d 'Only show the plan (the default)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -l export -d 'Print the plan as Kafka\'s CSV (topic,partition,offset), for --from-file'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from reset-offsets" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete-offsets" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete-offsets" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete-offsets" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete-offsets" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete-offsets" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete-offsets" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete-offsets" -l topic -d 'A topic (every partition), or some of its partitions as TOPIC:0,1,2 (repeatable)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete-offsets" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete-offsets" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete-offsets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from delete-offsets" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -l lag -d 'Until the group\'s total lag is at most N (partitions never committed count in full)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -l members -d 'Until the group has exactly N live members' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -l state -d 'Until the group is in this state' -r -f -a "stable\t''
preparing-rebalance\t''
completing-rebalance\t''
empty\t''
dead\t''"
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -l timeout -d 'Give up after this long (exit 124)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from wait" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from pending" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from pending" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from pending" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from pending" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from pending" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from pending" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from pending" -s f -l format -d 'How to print the result [default: table, or the config file\'s admin-format]' -r -f -a "table\t'Aligned columns, like the Kafka tools'
json\t'One JSON document'"
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from pending" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from pending" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from pending" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the groups (consumer and share) with their type, state and member count'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "describe" -d 'Show a group\'s members, assignment, committed offsets and lag'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "reset-offsets" -d 'Move a group\'s committed offsets (a dry run unless --execute)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a group and its committed offsets'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "delete-offsets" -d 'Delete some of a group\'s committed offsets (Kafka\'s --delete-offsets)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Wait until a group\'s lag, member count or state reaches a point'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "pending" -d 'Show what a group has in flight, retried and waiting (consumer or share group)'
complete -c runnel -n "__fish_runnel_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c runnel -n "__fish_runnel_using_subcommand serve" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand serve" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand serve" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand serve" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand serve" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand serve" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand serve" -l listen -d 'Broker 0\'s address; broker N listens on PORT+N (port 0: ports the system picks)' -r
complete -c runnel -n "__fish_runnel_using_subcommand serve" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand serve" -l allow-remote -d 'Allow a non-loopback --listen address (anyone who can connect can read and write)'
complete -c runnel -n "__fish_runnel_using_subcommand serve" -l log-requests -d 'Log each request on stderr as it arrives and when it is answered (client, API, version, time taken)'
complete -c runnel -n "__fish_runnel_using_subcommand serve" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand serve" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand demo" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand demo" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand demo" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand demo" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand demo" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand demo" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand demo" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand demo" -l pause -d 'Wait for Enter between steps (for teaching)'
complete -c runnel -n "__fish_runnel_using_subcommand demo" -l keep -d 'Keep the demo\'s data directory and print where it is'
complete -c runnel -n "__fish_runnel_using_subcommand demo" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand demo" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand completions" -l data-dir -d 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand completions" -l lock-timeout -d 'How long to wait for a lock another process holds before giving up (exit 75)' -r
complete -c runnel -n "__fish_runnel_using_subcommand completions" -l config-file -d 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]' -r -F
complete -c runnel -n "__fish_runnel_using_subcommand completions" -l bootstrap-server -d 'Work on this Apache Kafka cluster instead of a data directory' -r
complete -c runnel -n "__fish_runnel_using_subcommand completions" -s X -d 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable' -r
complete -c runnel -n "__fish_runnel_using_subcommand completions" -l profile -d 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)' -r
complete -c runnel -n "__fish_runnel_using_subcommand completions" -s q -l quiet -d 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
complete -c runnel -n "__fish_runnel_using_subcommand completions" -s h -l help -d 'Print help'
complete -c runnel -n "__fish_runnel_using_subcommand completions" -s V -l version -d 'Print version'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "init" -d 'Create a cluster of N brokers in the data directory'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "topic" -d 'Create, list, describe, alter and delete topics'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "broker" -d 'List, add, fail and recover brokers'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "elect-leaders" -d 'Elect leaders: back to the preferred replicas, or unclean for offline partitions'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "metadata" -d 'Brokers, topics, partitions, leaders and in-sync replicas at a glance (kcat -L)'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "produce" -d 'Write standard input, one message per line, to a topic'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "mirror" -d 'Copy topics between data dirs and Kafka clusters, either way (--follow keeps them in sync)'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "consume" -d 'Read messages from topics to standard output (alone, or as a group member)'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "log" -d 'Verify, dump and clean the logs on disk, and show their disk usage'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "group" -d 'List, describe, wait for, reset the offsets of and delete consumer groups'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "serve" -d 'Serve the data dir to Kafka clients over Kafka\'s wire protocol'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "demo" -d 'A guided tour of the whole model, in a temporary directory'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c runnel -n "__fish_runnel_using_subcommand help; and not __fish_seen_subcommand_from init topic broker elect-leaders metadata produce mirror consume log group serve demo completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "create" -d 'Create a topic'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "list" -d 'List the topics'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "describe" -d 'Show a topic\'s partitions, leaders, replicas, offsets and configs'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "alter" -d 'Add partitions to a topic or change its configs'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "delete" -d 'Delete a topic and all its data'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "wait" -d 'Wait until a topic\'s high watermarks reach an offset or a message count'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "offsets" -d 'The offset of each partition at a time, without consuming (kcat -Q)'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from topic" -f -a "trim" -d 'Delete the records before an offset or a time (Kafka\'s delete-records)'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from broker" -f -a "list" -d 'List the brokers: status, partitions led, replicas hosted'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from broker" -f -a "add" -d 'Add a broker (an empty folder, up) with the next id'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from broker" -f -a "fail" -d 'Take a broker down: it leaves every ISR and its partitions elect new leaders'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from broker" -f -a "recover" -d 'Bring a broker back: its replicas catch up with their leaders and rejoin the ISR'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "verify" -d 'Check every frame, index entry and metadata file (exit 74 on damage)'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "dump" -d 'Print the frames and records of a segment file, a replica folder or a partition, or an index\'s entries'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "clean" -d 'Apply retention and compaction now, on every in-sync replica'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "du" -d 'Show disk usage per broker, topic and partition'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "list" -d 'List the groups (consumer and share) with their type, state and member count'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "describe" -d 'Show a group\'s members, assignment, committed offsets and lag'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "reset-offsets" -d 'Move a group\'s committed offsets (a dry run unless --execute)'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "delete" -d 'Delete a group and its committed offsets'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "delete-offsets" -d 'Delete some of a group\'s committed offsets (Kafka\'s --delete-offsets)'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "wait" -d 'Wait until a group\'s lag, member count or state reaches a point'
complete -c runnel -n "__fish_runnel_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "pending" -d 'Show what a group has in flight, retried and waiting (consumer or share group)'

# Topic and group names, read from the data dir.
complete -c runnel -n "__fish_seen_subcommand_from consume produce" -f -a "(runnel topic list --names 2>/dev/null)" -d topic
complete -c runnel -n "__fish_seen_subcommand_from topic log; and __fish_seen_subcommand_from describe alter delete trim wait dump verify clean du" -f -a "(runnel topic list --names 2>/dev/null)" -d topic
complete -c runnel -n "__fish_seen_subcommand_from group; and __fish_seen_subcommand_from describe delete wait reset-offsets" -f -a "(runnel group list --names 2>/dev/null)" -d group
