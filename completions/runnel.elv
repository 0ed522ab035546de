
use builtin;
use str;

set edit:completion:arg-completer[runnel] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'runnel'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'runnel'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create a cluster of N brokers in the data directory'
            cand topic 'Create, list, describe, alter and delete topics'
            cand produce 'Write standard input, one message per line, to a topic'
            cand consume 'Read messages from topics to standard output'
            cand log 'Verify and dump the logs on disk'
            cand demo 'A guided tour of the whole model, in a temporary directory'
            cand completions 'Print a shell completion script'
            cand generate 'Write completions and man pages into a folder (for packagers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;init'= {
            cand --brokers 'How many brokers (folders broker-0, broker-1, ...) the cluster has'
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a topic'
            cand list 'List the topics'
            cand describe 'Show a topic''s partitions, leaders, replicas, offsets and configs'
            cand alter 'Add partitions to a topic or change its configs'
            cand delete 'Delete a topic and all its data'
            cand wait 'Wait until a topic''s high watermarks reach an offset or a message count'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;topic;create'= {
            cand -p 'How many partitions'
            cand --partitions 'How many partitions'
            cand -r 'How many replicas of each partition, on distinct brokers'
            cand --replication-factor 'How many replicas of each partition, on distinct brokers'
            cand -c 'A topic config, Kafka''s names (repeatable): retention.ms, segment.bytes, cleanup.policy, ...'
            cand --config 'A topic config, Kafka''s names (repeatable): retention.ms, segment.bytes, cleanup.policy, ...'
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;list'= {
            cand --format 'How to print the result'
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;describe'= {
            cand --format 'How to print the result'
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;alter'= {
            cand -p 'The new partition count (it can only grow, as in Kafka)'
            cand --partitions 'The new partition count (it can only grow, as in Kafka)'
            cand -c 'Set a topic config (repeatable)'
            cand --config 'Set a topic config (repeatable)'
            cand --delete-config 'Remove a config, going back to its default (repeatable)'
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;delete'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;wait'= {
            cand --offset 'Until the high watermark of each partition (or of --partition) is at least N'
            cand --messages 'Until the partitions hold at least N messages in all (high watermark minus log start)'
            cand -p 'Only this partition'
            cand --partition 'Only this partition'
            cand --timeout 'Give up after this long (exit 124)'
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;help'= {
            cand create 'Create a topic'
            cand list 'List the topics'
            cand describe 'Show a topic''s partitions, leaders, replicas, offsets and configs'
            cand alter 'Add partitions to a topic or change its configs'
            cand delete 'Delete a topic and all its data'
            cand wait 'Wait until a topic''s high watermarks reach an offset or a message count'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;topic;help;create'= {
        }
        &'runnel;topic;help;list'= {
        }
        &'runnel;topic;help;describe'= {
        }
        &'runnel;topic;help;alter'= {
        }
        &'runnel;topic;help;delete'= {
        }
        &'runnel;topic;help;wait'= {
        }
        &'runnel;topic;help;help'= {
        }
        &'runnel;produce'= {
            cand -f 'How input lines are read'
            cand --format 'How input lines are read'
            cand -k 'Take the key from this field of each JSON line (user.id or .user.id); the whole line is the value'
            cand --key-field 'Take the key from this field of each JSON line (user.id or .user.id); the whole line is the value'
            cand -K 'Split each line into key and value at the first SEP'
            cand --key-separator 'Split each line into key and value at the first SEP'
            cand --null-value 'A value that stands for null (a tombstone), in the lines format'
            cand -p 'Send every message to this partition'
            cand --partition 'Send every message to this partition'
            cand --acks 'Which replicas must have a message on disk before exit 0 (Kafka''s acks)'
            cand --partitions 'With --create: the partition count of the new topic'
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --create 'Create the topic (one partition, or --partitions N) if it does not exist'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;consume'= {
            cand --from 'Where to start: beginning, end, an offset, -N (N before the end), @UNIX_MS, an RFC 3339 time, or -DURATION (-15m)'
            cand -p 'Read only this partition'
            cand --partition 'Read only this partition'
            cand -n 'Stop after this many messages'
            cand --max-messages 'Stop after this many messages'
            cand --until 'Where to stop: end (the log end when the command started), an offset (exclusive), -N, @UNIX_MS, an RFC 3339 time or -DURATION; implies waiting for it like --follow'
            cand --timeout 'Exit (code 124) when no message arrived for this long'
            cand --format 'value (one value per line), json (one envelope per line), or a template'
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -f 'Keep waiting for new messages (like tail -f)'
            cand --follow 'Keep waiting for new messages (like tail -f)'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;log'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Check every frame, index entry and metadata file (exit 74 on damage)'
            cand dump 'Print the frames and records of a segment file, a replica folder or a partition'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;log;verify'= {
            cand --format 'How to print the result'
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;log;dump'= {
            cand --format 'How to print'
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --records 'Print the records of each frame [default]'
            cand --no-records 'Print only the frame lines'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;log;help'= {
            cand verify 'Check every frame, index entry and metadata file (exit 74 on damage)'
            cand dump 'Print the frames and records of a segment file, a replica folder or a partition'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;log;help;verify'= {
        }
        &'runnel;log;help;dump'= {
        }
        &'runnel;log;help;help'= {
        }
        &'runnel;demo'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --pause 'Wait for Enter between steps (for teaching)'
            cand --keep 'Keep the demo''s data directory and print where it is'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;completions'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;generate'= {
            cand --out-dir 'Where to write completions/ and man/'
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand -q 'Print no informational lines on stderr (errors still are)'
            cand --quiet 'Print no informational lines on stderr (errors still are)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;help'= {
            cand init 'Create a cluster of N brokers in the data directory'
            cand topic 'Create, list, describe, alter and delete topics'
            cand produce 'Write standard input, one message per line, to a topic'
            cand consume 'Read messages from topics to standard output'
            cand log 'Verify and dump the logs on disk'
            cand demo 'A guided tour of the whole model, in a temporary directory'
            cand completions 'Print a shell completion script'
            cand generate 'Write completions and man pages into a folder (for packagers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;help;init'= {
        }
        &'runnel;help;topic'= {
            cand create 'Create a topic'
            cand list 'List the topics'
            cand describe 'Show a topic''s partitions, leaders, replicas, offsets and configs'
            cand alter 'Add partitions to a topic or change its configs'
            cand delete 'Delete a topic and all its data'
            cand wait 'Wait until a topic''s high watermarks reach an offset or a message count'
        }
        &'runnel;help;topic;create'= {
        }
        &'runnel;help;topic;list'= {
        }
        &'runnel;help;topic;describe'= {
        }
        &'runnel;help;topic;alter'= {
        }
        &'runnel;help;topic;delete'= {
        }
        &'runnel;help;topic;wait'= {
        }
        &'runnel;help;produce'= {
        }
        &'runnel;help;consume'= {
        }
        &'runnel;help;log'= {
            cand verify 'Check every frame, index entry and metadata file (exit 74 on damage)'
            cand dump 'Print the frames and records of a segment file, a replica folder or a partition'
        }
        &'runnel;help;log;verify'= {
        }
        &'runnel;help;log;dump'= {
        }
        &'runnel;help;demo'= {
        }
        &'runnel;help;completions'= {
        }
        &'runnel;help;generate'= {
        }
        &'runnel;help;help'= {
        }
    ]
    $completions[$command]
}
