
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
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a cluster of N brokers in the data directory')
            [CompletionResult]::new('topic', 'topic', [CompletionResultType]::ParameterValue, 'Create, list, describe, alter and delete topics')
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Write standard input, one message per line, to a topic')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read messages from topics to standard output')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Verify and dump the logs on disk')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'A guided tour of the whole model, in a temporary directory')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write completions and man pages into a folder (for packagers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;init' {
            [CompletionResult]::new('--brokers', '--brokers', [CompletionResultType]::ParameterName, 'How many brokers (folders broker-0, broker-1, ...) the cluster has')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
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
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
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
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;topic;create' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'How many partitions')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'How many partitions')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'How many replicas of each partition, on distinct brokers')
            [CompletionResult]::new('--replication-factor', '--replication-factor', [CompletionResultType]::ParameterName, 'How many replicas of each partition, on distinct brokers')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'A topic config, Kafka''s names (repeatable): retention.ms, segment.bytes, cleanup.policy, ...')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'A topic config, Kafka''s names (repeatable): retention.ms, segment.bytes, cleanup.policy, ...')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;describe' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;alter' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The new partition count (it can only grow, as in Kafka)')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'The new partition count (it can only grow, as in Kafka)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Set a topic config (repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Set a topic config (repeatable)')
            [CompletionResult]::new('--delete-config', '--delete-config', [CompletionResultType]::ParameterName, 'Remove a config, going back to its default (repeatable)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
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
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;topic;wait' {
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Until the high watermark of each partition (or of --partition) is at least N')
            [CompletionResult]::new('--messages', '--messages', [CompletionResultType]::ParameterName, 'Until the partitions hold at least N messages in all (high watermark minus log start)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Only this partition')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'Only this partition')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (exit 124)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
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
        'runnel;topic;help;help' {
            break
        }
        'runnel;produce' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How input lines are read')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How input lines are read')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Take the key from this field of each JSON line (user.id or .user.id); the whole line is the value')
            [CompletionResult]::new('--key-field', '--key-field', [CompletionResultType]::ParameterName, 'Take the key from this field of each JSON line (user.id or .user.id); the whole line is the value')
            [CompletionResult]::new('-K', '-K ', [CompletionResultType]::ParameterName, 'Split each line into key and value at the first SEP')
            [CompletionResult]::new('--key-separator', '--key-separator', [CompletionResultType]::ParameterName, 'Split each line into key and value at the first SEP')
            [CompletionResult]::new('--null-value', '--null-value', [CompletionResultType]::ParameterName, 'A value that stands for null (a tombstone), in the lines format')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Send every message to this partition')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'Send every message to this partition')
            [CompletionResult]::new('--acks', '--acks', [CompletionResultType]::ParameterName, 'Which replicas must have a message on disk before exit 0 (Kafka''s acks)')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'With --create: the partition count of the new topic')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the topic (one partition, or --partitions N) if it does not exist')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;consume' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Where to start: beginning, end, an offset, -N (N before the end), @UNIX_MS, an RFC 3339 time, or -DURATION (-15m)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Read only this partition')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'Read only this partition')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Stop after this many messages')
            [CompletionResult]::new('--max-messages', '--max-messages', [CompletionResultType]::ParameterName, 'Stop after this many messages')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Where to stop: end (the log end when the command started), an offset (exclusive), -N, @UNIX_MS, an RFC 3339 time or -DURATION; implies waiting for it like --follow')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Exit (code 124) when no message arrived for this long')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'value (one value per line), json (one envelope per line), or a template')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep waiting for new messages (like tail -f)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep waiting for new messages (like tail -f)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;log' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every frame, index entry and metadata file (exit 74 on damage)')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Print the frames and records of a segment file, a replica folder or a partition')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;log;verify' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the result')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;log;dump' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--records', '--records', [CompletionResultType]::ParameterName, 'Print the records of each frame [default]')
            [CompletionResult]::new('--no-records', '--no-records', [CompletionResultType]::ParameterName, 'Print only the frame lines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;log;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every frame, index entry and metadata file (exit 74 on damage)')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Print the frames and records of a segment file, a replica folder or a partition')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'runnel;log;help;verify' {
            break
        }
        'runnel;log;help;dump' {
            break
        }
        'runnel;log;help;help' {
            break
        }
        'runnel;demo' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('--pause', '--pause', [CompletionResultType]::ParameterName, 'Wait for Enter between steps (for teaching)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the demo''s data directory and print where it is')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
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
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;generate' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Where to write completions/ and man/')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a lock another process holds before giving up (exit 75)')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no informational lines on stderr (errors still are)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'runnel;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a cluster of N brokers in the data directory')
            [CompletionResult]::new('topic', 'topic', [CompletionResultType]::ParameterValue, 'Create, list, describe, alter and delete topics')
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Write standard input, one message per line, to a topic')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read messages from topics to standard output')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Verify and dump the logs on disk')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'A guided tour of the whole model, in a temporary directory')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write completions and man pages into a folder (for packagers)')
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
        'runnel;help;produce' {
            break
        }
        'runnel;help;consume' {
            break
        }
        'runnel;help;log' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every frame, index entry and metadata file (exit 74 on damage)')
            [CompletionResult]::new('dump', 'dump', [CompletionResultType]::ParameterValue, 'Print the frames and records of a segment file, a replica folder or a partition')
            break
        }
        'runnel;help;log;verify' {
            break
        }
        'runnel;help;log;dump' {
            break
        }
        'runnel;help;demo' {
            break
        }
        'runnel;help;completions' {
            break
        }
        'runnel;help;generate' {
            break
        }
        'runnel;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
