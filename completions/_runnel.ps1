
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'runnel' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'runnel'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'runnel' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a cluster of N brokers in the data directory')
            [CompletionResult]::new('topic', 'topic', [CompletionResultType]::ParameterValue, 'Create, list, describe, alter and delete topics')
            [CompletionResult]::new('broker', 'broker', [CompletionResultType]::ParameterValue, 'List, add, fail and recover brokers')
            [CompletionResult]::new('elect-leaders', 'elect-leaders', [CompletionResultType]::ParameterValue, 'Elect leaders: back to the preferred replicas, or unclean for offline partitions')
            [CompletionResult]::new('metadata', 'metadata', [CompletionResultType]::ParameterValue, 'Brokers, topics, partitions, leaders and in-sync replicas at a glance (kcat -L)')
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Write standard input, one message per line, to a topic')
            [CompletionResult]::new('mirror', 'mirror', [CompletionResultType]::ParameterValue, 'Copy topics between data dirs and Kafka clusters, either way (--follow keeps them in sync)')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read messages from topics to standard output (alone, or as a group member)')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Verify, dump and clean the logs on disk, and show their disk usage')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'List, describe, wait for, reset the offsets of and delete consumer groups')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the data dir to Kafka clients over Kafka''s wire protocol')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'A guided tour of the whole model, in a temporary directory')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;init' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'How many brokers (folders broker-0, broker-1, ...) the cluster has')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a topic')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the topics')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a topic''s partitions, leaders, replicas, offsets and configs')
            [CompletionResult]::new('alter', 'alter', [CompletionResultType]::ParameterValue, 'Add partitions to a topic or change its configs')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a topic and all its data')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a topic''s high watermarks reach an offset or a message count')
            [CompletionResult]::new('offsets', 'offsets', [CompletionResultType]::ParameterValue, 'The offset of each partition at a time, without consuming (kcat -Q)')
            [CompletionResult]::new('trim', 'trim', [CompletionResultType]::ParameterValue, 'Delete the records before an offset or a time (Kafka''s delete-records)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;topic;create' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'How many partitions')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'How many partitions')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'How many replicas of each partition, on distinct brokers')
            [CompletionResult]::new('--replication-factor', '--replication-factor', [CompletionResultType]::ParameterName, 'How many replicas of each partition, on distinct brokers')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'A topic config, Kafka''s names (repeatable): retention.ms, segment.bytes, cleanup.policy, ...')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'A topic config, Kafka''s names (repeatable): retention.ms, segment.bytes, cleanup.policy, ...')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--if-not-exists', '--if-not-exists', [CompletionResultType]::ParameterName, 'Exit 0 if the topic already exists (kafka-topics'' flag; its settings are not compared)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'Only the names, one per line (like kafka-topics --list)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;describe' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--under-replicated', '--under-replicated', [CompletionResultType]::ParameterName, 'Only partitions with fewer in-sync replicas than replicas, or an in-sync replica down')
            [CompletionResult]::new('--under-replicated-partitions', '--under-replicated-partitions', [CompletionResultType]::ParameterName, 'Only partitions with fewer in-sync replicas than replicas, or an in-sync replica down')
            [CompletionResult]::new('--unavailable', '--unavailable', [CompletionResultType]::ParameterName, 'Only partitions with no leader, or whose leader''s broker is down')
            [CompletionResult]::new('--unavailable-partitions', '--unavailable-partitions', [CompletionResultType]::ParameterName, 'Only partitions with no leader, or whose leader''s broker is down')
            [CompletionResult]::new('--configs', '--configs', [CompletionResultType]::ParameterName, 'Show the configs set on the topics (like kafka-configs --describe), not the partitions')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'With --configs: every config, with its source (default or topic)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;alter' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The new partition count (it can only grow, as in Kafka)')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'The new partition count (it can only grow, as in Kafka)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Set a topic config (repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Set a topic config (repeatable)')
            [CompletionResult]::new('--delete-config', '--delete-config', [CompletionResultType]::ParameterName, 'Remove a config, going back to its default (repeatable)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;delete' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'Exit 0 if there is no such topic (kafka-topics'' flag)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;wait' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Until the high watermark of each partition (or of --partition) is at least N')
            [CompletionResult]::new('--messages', '--messages', [CompletionResultType]::ParameterName, 'Until the partitions hold at least N messages in all (high watermark minus log start)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Only this partition')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'Only this partition')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (exit 124)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;offsets' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('--time', '--time', [CompletionResultType]::ParameterName, 'latest (-1), earliest (-2), ms since the epoch, @MS, an RFC 3339 time or -DURATION: the first offset stamped at or after it (the log end if none is)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Only these partitions [default: all]')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'Only these partitions [default: all]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;trim' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Delete records before this: an offset, @UNIX_MS, an RFC 3339 time, -DURATION (older than that), -N (all but the last N), or `end`')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Only this partition [default: all]')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'Only this partition [default: all]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a topic')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the topics')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a topic''s partitions, leaders, replicas, offsets and configs')
            [CompletionResult]::new('alter', 'alter', [CompletionResultType]::ParameterValue, 'Add partitions to a topic or change its configs')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a topic and all its data')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a topic''s high watermarks reach an offset or a message count')
            [CompletionResult]::new('offsets', 'offsets', [CompletionResultType]::ParameterValue, 'The offset of each partition at a time, without consuming (kcat -Q)')
            [CompletionResult]::new('trim', 'trim', [CompletionResultType]::ParameterValue, 'Delete the records before an offset or a time (Kafka''s delete-records)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;topic;help;create' {
            break
        }
        'runnel;topic;help;list' {
            break
        }
        'runnel;topic;help;describe' {
            break
        }
        'runnel;topic;help;alter' {
            break
        }
        'runnel;topic;help;delete' {
            break
        }
        'runnel;topic;help;wait' {
            break
        }
        'runnel;topic;help;offsets' {
            break
        }
        'runnel;topic;help;trim' {
            break
        }
        'runnel;topic;help;help' {
            break
        }
        'runnel;broker' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the brokers: status, partitions led, replicas hosted')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a broker (an empty folder, up) with the next id')
            [CompletionResult]::new('fail', 'fail', [CompletionResultType]::ParameterValue, 'Take a broker down: it leaves every ISR and its partitions elect new leaders')
            [CompletionResult]::new('recover', 'recover', [CompletionResultType]::ParameterValue, 'Bring a broker back: its replicas catch up with their leaders and rejoin the ISR')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;broker;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;broker;add' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;broker;fail' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;broker;recover' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--repair', '--repair', [CompletionResultType]::ParameterName, 'Also verify every frame of its replicas and rebuild damaged ones from in-sync replicas')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;broker;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the brokers: status, partitions led, replicas hosted')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a broker (an empty folder, up) with the next id')
            [CompletionResult]::new('fail', 'fail', [CompletionResultType]::ParameterValue, 'Take a broker down: it leaves every ISR and its partitions elect new leaders')
            [CompletionResult]::new('recover', 'recover', [CompletionResultType]::ParameterValue, 'Bring a broker back: its replicas catch up with their leaders and rejoin the ISR')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;broker;help;list' {
            break
        }
        'runnel;broker;help;add' {
            break
        }
        'runnel;broker;help;fail' {
            break
        }
        'runnel;broker;help;recover' {
            break
        }
        'runnel;broker;help;help' {
            break
        }
        'runnel;elect-leaders' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--preferred', '--preferred', [CompletionResultType]::ParameterName, 'Move leadership back to each partition''s first replica when it is up and in sync (the default)')
            [CompletionResult]::new('--unclean', '--unclean', [CompletionResultType]::ParameterName, 'Give offline partitions a leader from any live replica, even out of sync (records may be lost)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;metadata' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;produce' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How input lines are read')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How input lines are read')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Take the key from this field of each JSON line (user.id or .user.id); the whole line is the value')
            [CompletionResult]::new('--key-field', '--key-field', [CompletionResultType]::ParameterName, 'Take the key from this field of each JSON line (user.id or .user.id); the whole line is the value')
            [CompletionResult]::new('-K', '-K ', [CompletionResultType]::ParameterName, 'Split each line into key and value at the first SEP; a line without SEP is an error naming it, as in kafka-console-producer')
            [CompletionResult]::new('--key-separator', '--key-separator', [CompletionResultType]::ParameterName, 'Split each line into key and value at the first SEP; a line without SEP is an error naming it, as in kafka-console-producer')
            [CompletionResult]::new('--null-value', '--null-value', [CompletionResultType]::ParameterName, 'A value that stands for null (a tombstone), in the lines format')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Send every message to this partition')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'Send every message to this partition')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'A header every message gets (repeatable; a name may repeat, as Kafka allows; before an envelope''s own headers)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A header every message gets (repeatable; a name may repeat, as Kafka allows; before an envelope''s own headers)')
            [CompletionResult]::new('--acks', '--acks', [CompletionResultType]::ParameterName, 'Which replicas must have a message on disk before exit 0 (Kafka''s acks)')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'With --create: the partition count of the new topic [default: 1; with --format json, enough for every partition the envelopes name, at least the count of the topic they were consumed from if it is in this data dir]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--allow-keyless', '--allow-keyless', [CompletionResultType]::ParameterName, 'With --key-separator: a line without SEP becomes a record with a null key, the whole line its value (Kafka''s ignore.error)')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the topic (one partition, or --partitions N) if it does not exist')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;mirror' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Where to copy from: a data dir or Kafka bootstrap servers')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where to copy to: a data dir or Kafka bootstrap servers')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'The mirror''s group on the source, which keeps its progress [default: runnel-mirror-ID, ID the target''s cluster id]')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The mirror''s group on the source, which keeps its progress [default: runnel-mirror-ID, ID the target''s cluster id]')
            [CompletionResult]::new('--replication-factor', '--replication-factor', [CompletionResultType]::ParameterName, 'The replication factor of topics created on the target [default: the source''s, at most the target''s brokers]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The topics are regular expressions, each matching whole topic names (''rides.*'')')
            [CompletionResult]::new('--regex', '--regex', [CompletionResultType]::ParameterName, 'The topics are regular expressions, each matching whole topic names (''rides.*'')')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Keep copying: new records, new partitions and (without named topics) new topics')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep copying: new records, new partitions and (without named topics) new topics')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;consume' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to start: beginning, end, an offset, -N (N before the end), +N (N after the start), @UNIX_MS (kcat''s s@UNIX_MS), an RFC 3339 time, or -DURATION (-15m); or a range FROM:UNTIL (rpk''s :end reads what is there now); with --group, for partitions without a committed offset [default: beginning; with --group: as --offset-reset says]')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Where to start: beginning, end, an offset, -N (N before the end), +N (N after the start), @UNIX_MS (kcat''s s@UNIX_MS), an RFC 3339 time, or -DURATION (-15m); or a range FROM:UNTIL (rpk''s :end reads what is there now); with --group, for partitions without a committed offset [default: beginning; with --group: as --offset-reset says]')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Where to start: beginning, end, an offset, -N (N before the end), +N (N after the start), @UNIX_MS (kcat''s s@UNIX_MS), an RFC 3339 time, or -DURATION (-15m); or a range FROM:UNTIL (rpk''s :end reads what is there now); with --group, for partitions without a committed offset [default: beginning; with --group: as --offset-reset says]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Read only these partitions (-p 0 -p 2, or -p 0,2)')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'Read only these partitions (-p 0 -p 2, or -p 0,2)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Stop after this many messages (kcat''s -c)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Stop after this many messages (kcat''s -c)')
            [CompletionResult]::new('--max-messages', '--max-messages', [CompletionResultType]::ParameterName, 'Stop after this many messages (kcat''s -c)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Where to stop: end (the log end when the command started), an offset (exclusive), -N, @UNIX_MS (kcat''s e@UNIX_MS), an RFC 3339 time or -DURATION; implies waiting for it like --follow')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Exit (code 124) when no message arrived for this long')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'value (one value per line), json (one envelope per line), or a template [default: value, or the config file''s consume-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'value (one value per line), json (one envelope per line), or a template [default: value, or the config file''s consume-format]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Join this consumer group: share the partitions with its other members and commit offsets as messages are written')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Join this consumer group: share the partitions with its other members and commit offsets as messages are written')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'The client id shown by `group describe` (with --group) [default: runnel-PID]')
            [CompletionResult]::new('--assignment-strategy', '--assignment-strategy', [CompletionResultType]::ParameterName, 'How the group divides partitions among its members (Kafka''s assignors; cooperative-sticky rebalances incrementally); every member must use the same one (with --group) [default: range]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'A member silent (hung) for this long is evicted and its partitions reassigned; a member that dies is noticed at once (with --group) [default: 10s; Kafka''s session.timeout.ms is 45s, for members on other machines]')
            [CompletionResult]::new('--offset-reset', '--offset-reset', [CompletionResultType]::ParameterName, 'Kafka''s auto.offset.reset, with --group: where a partition without a committed offset (and no --from) starts, and where a committed offset outside the log moves to [default: earliest; Kafka''s default is latest]')
            [CompletionResult]::new('--share', '--share', [CompletionResultType]::ParameterName, 'Join this share group (Kafka''s queues, KIP-932): every member reads every partition, each record is handed to one member at a time and acknowledged one by one')
            [CompletionResult]::new('--lock-duration', '--lock-duration', [CompletionResultType]::ParameterName, 'How long a member holds the records it acquired before they go to another (Kafka''s group.share.record.lock.duration.ms) (with --share) [default: 30s]')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD (with sh -c) on each batch of records, one record per line on its stdin in --format; offsets are committed only after it exits 0. Its environment: RUNNEL_TOPIC, RUNNEL_PARTITION, RUNNEL_OFFSET (first), RUNNEL_OFFSET_LAST, RUNNEL_COUNT, RUNNEL_KEY (a batch of one), RUNNEL_DELIVERY (delivery count), RUNNEL_GROUP. With --share, a batch is accepted when it exits 0 and released (delivered again) when it fails')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Records per batch, from one partition [default: 1]')
            [CompletionResult]::new('--batch-timeout', '--batch-timeout', [CompletionResultType]::ParameterName, 'Run a partial batch once its oldest record waited this long [default: 1s]')
            [CompletionResult]::new('--retry-backoff', '--retry-backoff', [CompletionResultType]::ParameterName, 'The wait before a failed batch is tried again, record by record; doubles each retry of a record up to --retry-backoff-max [default: 100ms]')
            [CompletionResult]::new('--retry-backoff-max', '--retry-backoff-max', [CompletionResultType]::ParameterName, 'The longest wait between two tries [default: 10s]')
            [CompletionResult]::new('--max-deliver', '--max-deliver', [CompletionResultType]::ParameterName, 'Deliveries of a record before it goes to --dead-letter; without one the member stops (exit 123) with offsets committed up to that record; with --share, Kafka''s group.share.delivery.count.limit: then it is archived [default: 5]')
            [CompletionResult]::new('--dead-letter', '--dead-letter', [CompletionResultType]::ParameterName, 'Where records that failed --max-deliver times go, with headers runnel.errors.* saying where they came from and how the command exited (created if missing); with --share, the records archived at --max-deliver')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Batches of different partitions run at once (order within a partition is kept) [default: 1]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Produce CMD''s output lines to TOPIC instead of printing them; appending them and committing the input are one step: each output appears once across crashes (a data dir)')
            [CompletionResult]::new('--to-key-field', '--to-key-field', [CompletionResultType]::ParameterName, 'The key of each output line: the field at PATH of the line as JSON (like produce)')
            [CompletionResult]::new('--to-key-separator', '--to-key-separator', [CompletionResultType]::ParameterName, 'The key of each output line: the bytes before SEP (like produce --key-separator)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The topics are regular expressions, each matching whole topic names (''rides.*'')')
            [CompletionResult]::new('--regex', '--regex', [CompletionResultType]::ParameterName, 'The topics are regular expressions, each matching whole topic names (''rides.*'')')
            [CompletionResult]::new('--from-beginning', '--from-beginning', [CompletionResultType]::ParameterName, 'Start at the beginning (kafka-console-consumer''s flag; the default without --group)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Keep waiting for new messages (like tail -F)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep waiting for new messages (like tail -F)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Exit at the end of the partitions: the default without --follow (kcat''s -e)')
            [CompletionResult]::new('--exit-at-end', '--exit-at-end', [CompletionResultType]::ParameterName, 'Exit at the end of the partitions: the default without --follow (kcat''s -e)')
            [CompletionResult]::new('-Z', '-Z ', [CompletionResultType]::ParameterName, 'Print NULL for a null key or value (kcat''s -Z), not an empty string')
            [CompletionResult]::new('--print-nulls', '--print-nulls', [CompletionResultType]::ParameterName, 'Print NULL for a null key or value (kcat''s -Z), not an empty string')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;log' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every frame, index entry and metadata file (exit 74 on damage)')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Print the frames and records of a segment file, a replica folder or a partition, or an index''s entries')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Apply retention and compaction now, on every in-sync replica')
            [CompletionResult]::new('du', 'du', [CompletionResultType]::ParameterValue, 'Show disk usage per broker, topic and partition')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;log;verify' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--repair', '--repair', [CompletionResultType]::ParameterName, 'Repair what a healthy in-sync replica can fix, then report again')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;log;dump' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--records', '--records', [CompletionResultType]::ParameterName, 'Print the records of each frame (the default)')
            [CompletionResult]::new('--no-records', '--no-records', [CompletionResultType]::ParameterName, 'Print only the frame lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;log;clean' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;log;du' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;log;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every frame, index entry and metadata file (exit 74 on damage)')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Print the frames and records of a segment file, a replica folder or a partition, or an index''s entries')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Apply retention and compaction now, on every in-sync replica')
            [CompletionResult]::new('du', 'du', [CompletionResultType]::ParameterValue, 'Show disk usage per broker, topic and partition')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;log;help;verify' {
            break
        }
        'runnel;log;help;dump' {
            break
        }
        'runnel;log;help;clean' {
            break
        }
        'runnel;log;help;du' {
            break
        }
        'runnel;log;help;help' {
            break
        }
        'runnel;group' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the groups (consumer and share) with their type, state and member count')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a group''s members, assignment, committed offsets and lag')
            [CompletionResult]::new('reset-offsets', 'reset-offsets', [CompletionResultType]::ParameterValue, 'Move a group''s committed offsets (a dry run unless --execute)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group and its committed offsets')
            [CompletionResult]::new('delete-offsets', 'delete-offsets', [CompletionResultType]::ParameterValue, 'Delete some of a group''s committed offsets (Kafka''s --delete-offsets)')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a group''s lag, member count or state reaches a point')
            [CompletionResult]::new('pending', 'pending', [CompletionResultType]::ParameterValue, 'Show what a group has in flight, retried and waiting (consumer or share group)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;group;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'Only the names, one per line (like kafka-consumer-groups --list)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;group;describe' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--members', '--members', [CompletionResultType]::ParameterName, 'The live members and their assignments (kafka-consumer-groups --members)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'The group''s state, strategy, generation and member count (--state)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;group;reset-offsets' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'A topic, or some of its partitions as TOPIC:0,1,2 (repeatable)')
            [CompletionResult]::new('--to-offset', '--to-offset', [CompletionResultType]::ParameterName, 'To this offset')
            [CompletionResult]::new('--shift-by', '--shift-by', [CompletionResultType]::ParameterName, 'Forward (N) or back (-N) from the committed offset')
            [CompletionResult]::new('--to-datetime', '--to-datetime', [CompletionResultType]::ParameterName, 'To the first message at or after this time: @UNIX_MS, an RFC 3339 time or -DURATION (-1h)')
            [CompletionResult]::new('--by-duration', '--by-duration', [CompletionResultType]::ParameterName, 'To the first message at or after this long ago: an ISO-8601 duration (PT1H30M, P1D) or 1h30m')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'To the offsets in this CSV file (topic,partition,offset per line, as --export prints)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--all-topics', '--all-topics', [CompletionResultType]::ParameterName, 'Every partition the group has committed offsets for')
            [CompletionResult]::new('--to-earliest', '--to-earliest', [CompletionResultType]::ParameterName, 'To each partition''s log start')
            [CompletionResult]::new('--to-latest', '--to-latest', [CompletionResultType]::ParameterName, 'To each partition''s log end (skip everything not read yet)')
            [CompletionResult]::new('--to-current', '--to-current', [CompletionResultType]::ParameterName, 'To the committed offset (the log end where there is none): a plan to --export')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Apply the plan (without it, only show it)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only show the plan (the default)')
            [CompletionResult]::new('--export', '--export', [CompletionResultType]::ParameterName, 'Print the plan as Kafka''s CSV (topic,partition,offset), for --from-file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;group;delete' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;group;delete-offsets' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'A topic (every partition), or some of its partitions as TOPIC:0,1,2 (repeatable)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;group;wait' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('--lag', '--lag', [CompletionResultType]::ParameterName, 'Until the group''s total lag is at most N (partitions never committed count in full)')
            [CompletionResult]::new('--members', '--members', [CompletionResultType]::ParameterName, 'Until the group has exactly N live members')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Until the group is in this state')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (exit 124)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;group;pending' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result [default: table, or the config file''s admin-format]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;group;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the groups (consumer and share) with their type, state and member count')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a group''s members, assignment, committed offsets and lag')
            [CompletionResult]::new('reset-offsets', 'reset-offsets', [CompletionResultType]::ParameterValue, 'Move a group''s committed offsets (a dry run unless --execute)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group and its committed offsets')
            [CompletionResult]::new('delete-offsets', 'delete-offsets', [CompletionResultType]::ParameterValue, 'Delete some of a group''s committed offsets (Kafka''s --delete-offsets)')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a group''s lag, member count or state reaches a point')
            [CompletionResult]::new('pending', 'pending', [CompletionResultType]::ParameterValue, 'Show what a group has in flight, retried and waiting (consumer or share group)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;group;help;list' {
            break
        }
        'runnel;group;help;describe' {
            break
        }
        'runnel;group;help;reset-offsets' {
            break
        }
        'runnel;group;help;delete' {
            break
        }
        'runnel;group;help;delete-offsets' {
            break
        }
        'runnel;group;help;wait' {
            break
        }
        'runnel;group;help;pending' {
            break
        }
        'runnel;group;help;help' {
            break
        }
        'runnel;serve' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Broker 0''s address; broker N listens on PORT+N (port 0: ports the system picks)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--allow-remote', '--allow-remote', [CompletionResultType]::ParameterName, 'Allow a non-loopback --listen address (anyone who can connect can read and write)')
            [CompletionResult]::new('--log-requests', '--log-requests', [CompletionResultType]::ParameterName, 'Log each request on stderr as it arrives and when it is answered (client, API, version, time taken)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;demo' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--pause', '--pause', [CompletionResultType]::ParameterName, 'Wait for Enter between steps (for teaching)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the demo''s data directory and print where it is')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;completions' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Work on this Apache Kafka cluster instead of a data directory')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a cluster of N brokers in the data directory')
            [CompletionResult]::new('topic', 'topic', [CompletionResultType]::ParameterValue, 'Create, list, describe, alter and delete topics')
            [CompletionResult]::new('broker', 'broker', [CompletionResultType]::ParameterValue, 'List, add, fail and recover brokers')
            [CompletionResult]::new('elect-leaders', 'elect-leaders', [CompletionResultType]::ParameterValue, 'Elect leaders: back to the preferred replicas, or unclean for offline partitions')
            [CompletionResult]::new('metadata', 'metadata', [CompletionResultType]::ParameterValue, 'Brokers, topics, partitions, leaders and in-sync replicas at a glance (kcat -L)')
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Write standard input, one message per line, to a topic')
            [CompletionResult]::new('mirror', 'mirror', [CompletionResultType]::ParameterValue, 'Copy topics between data dirs and Kafka clusters, either way (--follow keeps them in sync)')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read messages from topics to standard output (alone, or as a group member)')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Verify, dump and clean the logs on disk, and show their disk usage')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'List, describe, wait for, reset the offsets of and delete consumer groups')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the data dir to Kafka clients over Kafka''s wire protocol')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'A guided tour of the whole model, in a temporary directory')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;help;init' {
            break
        }
        'runnel;help;topic' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a topic')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the topics')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a topic''s partitions, leaders, replicas, offsets and configs')
            [CompletionResult]::new('alter', 'alter', [CompletionResultType]::ParameterValue, 'Add partitions to a topic or change its configs')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a topic and all its data')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a topic''s high watermarks reach an offset or a message count')
            [CompletionResult]::new('offsets', 'offsets', [CompletionResultType]::ParameterValue, 'The offset of each partition at a time, without consuming (kcat -Q)')
            [CompletionResult]::new('trim', 'trim', [CompletionResultType]::ParameterValue, 'Delete the records before an offset or a time (Kafka''s delete-records)')
            break
        }
        'runnel;help;topic;create' {
            break
        }
        'runnel;help;topic;list' {
            break
        }
        'runnel;help;topic;describe' {
            break
        }
        'runnel;help;topic;alter' {
            break
        }
        'runnel;help;topic;delete' {
            break
        }
        'runnel;help;topic;wait' {
            break
        }
        'runnel;help;topic;offsets' {
            break
        }
        'runnel;help;topic;trim' {
            break
        }
        'runnel;help;broker' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the brokers: status, partitions led, replicas hosted')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a broker (an empty folder, up) with the next id')
            [CompletionResult]::new('fail', 'fail', [CompletionResultType]::ParameterValue, 'Take a broker down: it leaves every ISR and its partitions elect new leaders')
            [CompletionResult]::new('recover', 'recover', [CompletionResultType]::ParameterValue, 'Bring a broker back: its replicas catch up with their leaders and rejoin the ISR')
            break
        }
        'runnel;help;broker;list' {
            break
        }
        'runnel;help;broker;add' {
            break
        }
        'runnel;help;broker;fail' {
            break
        }
        'runnel;help;broker;recover' {
            break
        }
        'runnel;help;elect-leaders' {
            break
        }
        'runnel;help;metadata' {
            break
        }
        'runnel;help;produce' {
            break
        }
        'runnel;help;mirror' {
            break
        }
        'runnel;help;consume' {
            break
        }
        'runnel;help;log' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every frame, index entry and metadata file (exit 74 on damage)')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Print the frames and records of a segment file, a replica folder or a partition, or an index''s entries')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Apply retention and compaction now, on every in-sync replica')
            [CompletionResult]::new('du', 'du', [CompletionResultType]::ParameterValue, 'Show disk usage per broker, topic and partition')
            break
        }
        'runnel;help;log;verify' {
            break
        }
        'runnel;help;log;dump' {
            break
        }
        'runnel;help;log;clean' {
            break
        }
        'runnel;help;log;du' {
            break
        }
        'runnel;help;group' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the groups (consumer and share) with their type, state and member count')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a group''s members, assignment, committed offsets and lag')
            [CompletionResult]::new('reset-offsets', 'reset-offsets', [CompletionResultType]::ParameterValue, 'Move a group''s committed offsets (a dry run unless --execute)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group and its committed offsets')
            [CompletionResult]::new('delete-offsets', 'delete-offsets', [CompletionResultType]::ParameterValue, 'Delete some of a group''s committed offsets (Kafka''s --delete-offsets)')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a group''s lag, member count or state reaches a point')
            [CompletionResult]::new('pending', 'pending', [CompletionResultType]::ParameterValue, 'Show what a group has in flight, retried and waiting (consumer or share group)')
            break
        }
        'runnel;help;group;list' {
            break
        }
        'runnel;help;group;describe' {
            break
        }
        'runnel;help;group;reset-offsets' {
            break
        }
        'runnel;help;group;delete' {
            break
        }
        'runnel;help;group;delete-offsets' {
            break
        }
        'runnel;help;group;wait' {
            break
        }
        'runnel;help;group;pending' {
            break
        }
        'runnel;help;serve' {
            break
        }
        'runnel;help;demo' {
            break
        }
        'runnel;help;completions' {
            break
        }
        'runnel;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
