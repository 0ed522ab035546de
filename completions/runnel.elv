
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
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create a cluster of N brokers in the data directory'
            cand topic 'Create, list, describe, alter and delete topics'
            cand broker 'List, add, fail and recover brokers'
            cand elect-leaders 'Elect leaders: back to the preferred replicas, or unclean for offline partitions'
            cand metadata 'Brokers, topics, partitions, leaders and in-sync replicas at a glance (kcat -L)'
            cand produce 'Write standard input, one message per line, to a topic'
            cand mirror 'Copy topics between data dirs and Kafka clusters, either way (--follow keeps them in sync)'
            cand consume 'Read messages from topics to standard output (alone, or as a group member)'
            cand log 'Verify, dump and clean the logs on disk, and show their disk usage'
            cand group 'List, describe, wait for, reset the offsets of and delete consumer groups'
            cand serve 'Serve the data dir to Kafka clients over Kafka''s wire protocol'
            cand demo 'A guided tour of the whole model, in a temporary directory'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;init'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand --brokers 'How many brokers (folders broker-0, broker-1, ...) the cluster has'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
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
            cand offsets 'The offset of each partition at a time, without consuming (kcat -Q)'
            cand trim 'Delete the records before an offset or a time (Kafka''s delete-records)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;topic;create'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -p 'How many partitions'
            cand --partitions 'How many partitions'
            cand -r 'How many replicas of each partition, on distinct brokers'
            cand --replication-factor 'How many replicas of each partition, on distinct brokers'
            cand -c 'A topic config, Kafka''s names (repeatable): retention.ms, segment.bytes, cleanup.policy, ...'
            cand --config 'A topic config, Kafka''s names (repeatable): retention.ms, segment.bytes, cleanup.policy, ...'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --if-not-exists 'Exit 0 if the topic already exists (kafka-topics'' flag; its settings are not compared)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;list'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --names 'Only the names, one per line (like kafka-topics --list)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;describe'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --under-replicated 'Only partitions with fewer in-sync replicas than replicas, or an in-sync replica down'
            cand --under-replicated-partitions 'Only partitions with fewer in-sync replicas than replicas, or an in-sync replica down'
            cand --unavailable 'Only partitions with no leader, or whose leader''s broker is down'
            cand --unavailable-partitions 'Only partitions with no leader, or whose leader''s broker is down'
            cand --configs 'Show the configs set on the topics (like kafka-configs --describe), not the partitions'
            cand --all 'With --configs: every config, with its source (default or topic)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;alter'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -p 'The new partition count (it can only grow, as in Kafka)'
            cand --partitions 'The new partition count (it can only grow, as in Kafka)'
            cand -c 'Set a topic config (repeatable)'
            cand --config 'Set a topic config (repeatable)'
            cand --delete-config 'Remove a config, going back to its default (repeatable)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;delete'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --if-exists 'Exit 0 if there is no such topic (kafka-topics'' flag)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;wait'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand --offset 'Until the high watermark of each partition (or of --partition) is at least N'
            cand --messages 'Until the partitions hold at least N messages in all (high watermark minus log start)'
            cand -p 'Only this partition'
            cand --partition 'Only this partition'
            cand --timeout 'Give up after this long (exit 124)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;offsets'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand --time 'latest (-1), earliest (-2), ms since the epoch, @MS, an RFC 3339 time or -DURATION: the first offset stamped at or after it (the log end if none is)'
            cand -p 'Only these partitions [default: all]'
            cand --partition 'Only these partitions [default: all]'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;topic;trim'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand --before 'Delete records before this: an offset, @UNIX_MS, an RFC 3339 time, -DURATION (older than that), -N (all but the last N), or `end`'
            cand -p 'Only this partition [default: all]'
            cand --partition 'Only this partition [default: all]'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
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
            cand offsets 'The offset of each partition at a time, without consuming (kcat -Q)'
            cand trim 'Delete the records before an offset or a time (Kafka''s delete-records)'
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
        &'runnel;topic;help;offsets'= {
        }
        &'runnel;topic;help;trim'= {
        }
        &'runnel;topic;help;help'= {
        }
        &'runnel;broker'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the brokers: status, partitions led, replicas hosted'
            cand add 'Add a broker (an empty folder, up) with the next id'
            cand fail 'Take a broker down: it leaves every ISR and its partitions elect new leaders'
            cand recover 'Bring a broker back: its replicas catch up with their leaders and rejoin the ISR'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;broker;list'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;broker;add'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;broker;fail'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;broker;recover'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --repair 'Also verify every frame of its replicas and rebuild damaged ones from in-sync replicas'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;broker;help'= {
            cand list 'List the brokers: status, partitions led, replicas hosted'
            cand add 'Add a broker (an empty folder, up) with the next id'
            cand fail 'Take a broker down: it leaves every ISR and its partitions elect new leaders'
            cand recover 'Bring a broker back: its replicas catch up with their leaders and rejoin the ISR'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;broker;help;list'= {
        }
        &'runnel;broker;help;add'= {
        }
        &'runnel;broker;help;fail'= {
        }
        &'runnel;broker;help;recover'= {
        }
        &'runnel;broker;help;help'= {
        }
        &'runnel;elect-leaders'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --preferred 'Move leadership back to each partition''s first replica when it is up and in sync (the default)'
            cand --unclean 'Give offline partitions a leader from any live replica, even out of sync (records may be lost)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;metadata'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;produce'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How input lines are read'
            cand --format 'How input lines are read'
            cand -k 'Take the key from this field of each JSON line (user.id or .user.id); the whole line is the value'
            cand --key-field 'Take the key from this field of each JSON line (user.id or .user.id); the whole line is the value'
            cand -K 'Split each line into key and value at the first SEP; a line without SEP is an error naming it, as in kafka-console-producer'
            cand --key-separator 'Split each line into key and value at the first SEP; a line without SEP is an error naming it, as in kafka-console-producer'
            cand --null-value 'A value that stands for null (a tombstone), in the lines format'
            cand -p 'Send every message to this partition'
            cand --partition 'Send every message to this partition'
            cand -H 'A header every message gets (repeatable; a name may repeat, as Kafka allows; before an envelope''s own headers)'
            cand --header 'A header every message gets (repeatable; a name may repeat, as Kafka allows; before an envelope''s own headers)'
            cand --acks 'Which replicas must have a message on disk before exit 0 (Kafka''s acks)'
            cand --partitions 'With --create: the partition count of the new topic [default: 1; with --format json, enough for every partition the envelopes name, at least the count of the topic they were consumed from if it is in this data dir]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --allow-keyless 'With --key-separator: a line without SEP becomes a record with a null key, the whole line its value (Kafka''s ignore.error)'
            cand --create 'Create the topic (one partition, or --partitions N) if it does not exist'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;mirror'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand --from 'Where to copy from: a data dir or Kafka bootstrap servers'
            cand --to 'Where to copy to: a data dir or Kafka bootstrap servers'
            cand -g 'The mirror''s group on the source, which keeps its progress [default: runnel-mirror-ID, ID the target''s cluster id]'
            cand --group 'The mirror''s group on the source, which keeps its progress [default: runnel-mirror-ID, ID the target''s cluster id]'
            cand --replication-factor 'The replication factor of topics created on the target [default: the source''s, at most the target''s brokers]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -r 'The topics are regular expressions, each matching whole topic names (''rides.*'')'
            cand --regex 'The topics are regular expressions, each matching whole topic names (''rides.*'')'
            cand -F 'Keep copying: new records, new partitions and (without named topics) new topics'
            cand --follow 'Keep copying: new records, new partitions and (without named topics) new topics'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;consume'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -o 'Where to start: beginning, end, an offset, -N (N before the end), +N (N after the start), @UNIX_MS (kcat''s s@UNIX_MS), an RFC 3339 time, or -DURATION (-15m); or a range FROM:UNTIL (rpk''s :end reads what is there now); with --group, for partitions without a committed offset [default: beginning; with --group: as --offset-reset says]'
            cand --from 'Where to start: beginning, end, an offset, -N (N before the end), +N (N after the start), @UNIX_MS (kcat''s s@UNIX_MS), an RFC 3339 time, or -DURATION (-15m); or a range FROM:UNTIL (rpk''s :end reads what is there now); with --group, for partitions without a committed offset [default: beginning; with --group: as --offset-reset says]'
            cand --offset 'Where to start: beginning, end, an offset, -N (N before the end), +N (N after the start), @UNIX_MS (kcat''s s@UNIX_MS), an RFC 3339 time, or -DURATION (-15m); or a range FROM:UNTIL (rpk''s :end reads what is there now); with --group, for partitions without a committed offset [default: beginning; with --group: as --offset-reset says]'
            cand -p 'Read only these partitions (-p 0 -p 2, or -p 0,2)'
            cand --partition 'Read only these partitions (-p 0 -p 2, or -p 0,2)'
            cand -n 'Stop after this many messages (kcat''s -c)'
            cand -c 'Stop after this many messages (kcat''s -c)'
            cand --max-messages 'Stop after this many messages (kcat''s -c)'
            cand --until 'Where to stop: end (the log end when the command started), an offset (exclusive), -N, @UNIX_MS (kcat''s e@UNIX_MS), an RFC 3339 time or -DURATION; implies waiting for it like --follow'
            cand --timeout 'Exit (code 124) when no message arrived for this long'
            cand -f 'value (one value per line), json (one envelope per line), or a template [default: value, or the config file''s consume-format]'
            cand --format 'value (one value per line), json (one envelope per line), or a template [default: value, or the config file''s consume-format]'
            cand -g 'Join this consumer group: share the partitions with its other members and commit offsets as messages are written'
            cand --group 'Join this consumer group: share the partitions with its other members and commit offsets as messages are written'
            cand --client-id 'The client id shown by `group describe` (with --group) [default: runnel-PID]'
            cand --assignment-strategy 'How the group divides partitions among its members (Kafka''s assignors; cooperative-sticky rebalances incrementally); every member must use the same one (with --group) [default: range]'
            cand --session-timeout 'A member silent (hung) for this long is evicted and its partitions reassigned; a member that dies is noticed at once (with --group) [default: 10s; Kafka''s session.timeout.ms is 45s, for members on other machines]'
            cand --offset-reset 'Kafka''s auto.offset.reset, with --group: where a partition without a committed offset (and no --from) starts, and where a committed offset outside the log moves to [default: earliest; Kafka''s default is latest]'
            cand --share 'Join this share group (Kafka''s queues, KIP-932): every member reads every partition, each record is handed to one member at a time and acknowledged one by one'
            cand --lock-duration 'How long a member holds the records it acquired before they go to another (Kafka''s group.share.record.lock.duration.ms) (with --share) [default: 30s]'
            cand --exec 'Run CMD (with sh -c) on each batch of records, one record per line on its stdin in --format; offsets are committed only after it exits 0. Its environment: RUNNEL_TOPIC, RUNNEL_PARTITION, RUNNEL_OFFSET (first), RUNNEL_OFFSET_LAST, RUNNEL_COUNT, RUNNEL_KEY (a batch of one), RUNNEL_DELIVERY (delivery count), RUNNEL_GROUP. With --share, a batch is accepted when it exits 0 and released (delivered again) when it fails'
            cand --batch 'Records per batch, from one partition [default: 1]'
            cand --batch-timeout 'Run a partial batch once its oldest record waited this long [default: 1s]'
            cand --retry-backoff 'The wait before a failed batch is tried again, record by record; doubles each retry of a record up to --retry-backoff-max [default: 100ms]'
            cand --retry-backoff-max 'The longest wait between two tries [default: 10s]'
            cand --max-deliver 'Deliveries of a record before it goes to --dead-letter; without one the member stops (exit 123) with offsets committed up to that record; with --share, Kafka''s group.share.delivery.count.limit: then it is archived [default: 5]'
            cand --dead-letter 'Where records that failed --max-deliver times go, with headers runnel.errors.* saying where they came from and how the command exited (created if missing); with --share, the records archived at --max-deliver'
            cand --parallel 'Batches of different partitions run at once (order within a partition is kept) [default: 1]'
            cand --to 'Produce CMD''s output lines to TOPIC instead of printing them; appending them and committing the input are one step: each output appears once across crashes (a data dir)'
            cand --to-key-field 'The key of each output line: the field at PATH of the line as JSON (like produce)'
            cand --to-key-separator 'The key of each output line: the bytes before SEP (like produce --key-separator)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -r 'The topics are regular expressions, each matching whole topic names (''rides.*'')'
            cand --regex 'The topics are regular expressions, each matching whole topic names (''rides.*'')'
            cand --from-beginning 'Start at the beginning (kafka-console-consumer''s flag; the default without --group)'
            cand -F 'Keep waiting for new messages (like tail -F)'
            cand --follow 'Keep waiting for new messages (like tail -F)'
            cand -e 'Exit at the end of the partitions: the default without --follow (kcat''s -e)'
            cand --exit-at-end 'Exit at the end of the partitions: the default without --follow (kcat''s -e)'
            cand -Z 'Print NULL for a null key or value (kcat''s -Z), not an empty string'
            cand --print-nulls 'Print NULL for a null key or value (kcat''s -Z), not an empty string'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;log'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Check every frame, index entry and metadata file (exit 74 on damage)'
            cand dump 'Print the frames and records of a segment file, a replica folder or a partition, or an index''s entries'
            cand clean 'Apply retention and compaction now, on every in-sync replica'
            cand du 'Show disk usage per broker, topic and partition'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;log;verify'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --repair 'Repair what a healthy in-sync replica can fix, then report again'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;log;dump'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print'
            cand --format 'How to print'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --records 'Print the records of each frame (the default)'
            cand --no-records 'Print only the frame lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;log;clean'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;log;du'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;log;help'= {
            cand verify 'Check every frame, index entry and metadata file (exit 74 on damage)'
            cand dump 'Print the frames and records of a segment file, a replica folder or a partition, or an index''s entries'
            cand clean 'Apply retention and compaction now, on every in-sync replica'
            cand du 'Show disk usage per broker, topic and partition'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;log;help;verify'= {
        }
        &'runnel;log;help;dump'= {
        }
        &'runnel;log;help;clean'= {
        }
        &'runnel;log;help;du'= {
        }
        &'runnel;log;help;help'= {
        }
        &'runnel;group'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the groups (consumer and share) with their type, state and member count'
            cand describe 'Show a group''s members, assignment, committed offsets and lag'
            cand reset-offsets 'Move a group''s committed offsets (a dry run unless --execute)'
            cand delete 'Delete a group and its committed offsets'
            cand delete-offsets 'Delete some of a group''s committed offsets (Kafka''s --delete-offsets)'
            cand wait 'Wait until a group''s lag, member count or state reaches a point'
            cand pending 'Show what a group has in flight, retried and waiting (consumer or share group)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;group;list'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --names 'Only the names, one per line (like kafka-consumer-groups --list)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;group;describe'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --members 'The live members and their assignments (kafka-consumer-groups --members)'
            cand --state 'The group''s state, strategy, generation and member count (--state)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;group;reset-offsets'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand --topic 'A topic, or some of its partitions as TOPIC:0,1,2 (repeatable)'
            cand --to-offset 'To this offset'
            cand --shift-by 'Forward (N) or back (-N) from the committed offset'
            cand --to-datetime 'To the first message at or after this time: @UNIX_MS, an RFC 3339 time or -DURATION (-1h)'
            cand --by-duration 'To the first message at or after this long ago: an ISO-8601 duration (PT1H30M, P1D) or 1h30m'
            cand --from-file 'To the offsets in this CSV file (topic,partition,offset per line, as --export prints)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --all-topics 'Every partition the group has committed offsets for'
            cand --to-earliest 'To each partition''s log start'
            cand --to-latest 'To each partition''s log end (skip everything not read yet)'
            cand --to-current 'To the committed offset (the log end where there is none): a plan to --export'
            cand --execute 'Apply the plan (without it, only show it)'
            cand --dry-run 'Only show the plan (the default)'
            cand --export 'Print the plan as Kafka''s CSV (topic,partition,offset), for --from-file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;group;delete'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;group;delete-offsets'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand --topic 'A topic (every partition), or some of its partitions as TOPIC:0,1,2 (repeatable)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;group;wait'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand --lag 'Until the group''s total lag is at most N (partitions never committed count in full)'
            cand --members 'Until the group has exactly N live members'
            cand --state 'Until the group is in this state'
            cand --timeout 'Give up after this long (exit 124)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;group;pending'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -f 'How to print the result [default: table, or the config file''s admin-format]'
            cand --format 'How to print the result [default: table, or the config file''s admin-format]'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;group;help'= {
            cand list 'List the groups (consumer and share) with their type, state and member count'
            cand describe 'Show a group''s members, assignment, committed offsets and lag'
            cand reset-offsets 'Move a group''s committed offsets (a dry run unless --execute)'
            cand delete 'Delete a group and its committed offsets'
            cand delete-offsets 'Delete some of a group''s committed offsets (Kafka''s --delete-offsets)'
            cand wait 'Wait until a group''s lag, member count or state reaches a point'
            cand pending 'Show what a group has in flight, retried and waiting (consumer or share group)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'runnel;group;help;list'= {
        }
        &'runnel;group;help;describe'= {
        }
        &'runnel;group;help;reset-offsets'= {
        }
        &'runnel;group;help;delete'= {
        }
        &'runnel;group;help;delete-offsets'= {
        }
        &'runnel;group;help;wait'= {
        }
        &'runnel;group;help;pending'= {
        }
        &'runnel;group;help;help'= {
        }
        &'runnel;serve'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand --listen 'Broker 0''s address; broker N listens on PORT+N (port 0: ports the system picks)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --allow-remote 'Allow a non-loopback --listen address (anyone who can connect can read and write)'
            cand --log-requests 'Log each request on stderr as it arrives and when it is answered (client, API, version, time taken)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;demo'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --pause 'Wait for Enter between steps (for teaching)'
            cand --keep 'Keep the demo''s data directory and print where it is'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;completions'= {
            cand --data-dir 'The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]'
            cand --lock-timeout 'How long to wait for a lock another process holds before giving up (exit 75)'
            cand --config-file 'Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]'
            cand --bootstrap-server 'Work on this Apache Kafka cluster instead of a data directory'
            cand -X 'A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*); repeatable'
            cand --profile 'Use the [profile.NAME] table of the config file (bootstrap-server, properties)'
            cand -q 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand --quiet 'Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes 1/0, true/false, yes/no, on/off'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'runnel;help'= {
            cand init 'Create a cluster of N brokers in the data directory'
            cand topic 'Create, list, describe, alter and delete topics'
            cand broker 'List, add, fail and recover brokers'
            cand elect-leaders 'Elect leaders: back to the preferred replicas, or unclean for offline partitions'
            cand metadata 'Brokers, topics, partitions, leaders and in-sync replicas at a glance (kcat -L)'
            cand produce 'Write standard input, one message per line, to a topic'
            cand mirror 'Copy topics between data dirs and Kafka clusters, either way (--follow keeps them in sync)'
            cand consume 'Read messages from topics to standard output (alone, or as a group member)'
            cand log 'Verify, dump and clean the logs on disk, and show their disk usage'
            cand group 'List, describe, wait for, reset the offsets of and delete consumer groups'
            cand serve 'Serve the data dir to Kafka clients over Kafka''s wire protocol'
            cand demo 'A guided tour of the whole model, in a temporary directory'
            cand completions 'Print a shell completion script'
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
            cand offsets 'The offset of each partition at a time, without consuming (kcat -Q)'
            cand trim 'Delete the records before an offset or a time (Kafka''s delete-records)'
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
        &'runnel;help;topic;offsets'= {
        }
        &'runnel;help;topic;trim'= {
        }
        &'runnel;help;broker'= {
            cand list 'List the brokers: status, partitions led, replicas hosted'
            cand add 'Add a broker (an empty folder, up) with the next id'
            cand fail 'Take a broker down: it leaves every ISR and its partitions elect new leaders'
            cand recover 'Bring a broker back: its replicas catch up with their leaders and rejoin the ISR'
        }
        &'runnel;help;broker;list'= {
        }
        &'runnel;help;broker;add'= {
        }
        &'runnel;help;broker;fail'= {
        }
        &'runnel;help;broker;recover'= {
        }
        &'runnel;help;elect-leaders'= {
        }
        &'runnel;help;metadata'= {
        }
        &'runnel;help;produce'= {
        }
        &'runnel;help;mirror'= {
        }
        &'runnel;help;consume'= {
        }
        &'runnel;help;log'= {
            cand verify 'Check every frame, index entry and metadata file (exit 74 on damage)'
            cand dump 'Print the frames and records of a segment file, a replica folder or a partition, or an index''s entries'
            cand clean 'Apply retention and compaction now, on every in-sync replica'
            cand du 'Show disk usage per broker, topic and partition'
        }
        &'runnel;help;log;verify'= {
        }
        &'runnel;help;log;dump'= {
        }
        &'runnel;help;log;clean'= {
        }
        &'runnel;help;log;du'= {
        }
        &'runnel;help;group'= {
            cand list 'List the groups (consumer and share) with their type, state and member count'
            cand describe 'Show a group''s members, assignment, committed offsets and lag'
            cand reset-offsets 'Move a group''s committed offsets (a dry run unless --execute)'
            cand delete 'Delete a group and its committed offsets'
            cand delete-offsets 'Delete some of a group''s committed offsets (Kafka''s --delete-offsets)'
            cand wait 'Wait until a group''s lag, member count or state reaches a point'
            cand pending 'Show what a group has in flight, retried and waiting (consumer or share group)'
        }
        &'runnel;help;group;list'= {
        }
        &'runnel;help;group;describe'= {
        }
        &'runnel;help;group;reset-offsets'= {
        }
        &'runnel;help;group;delete'= {
        }
        &'runnel;help;group;delete-offsets'= {
        }
        &'runnel;help;group;wait'= {
        }
        &'runnel;help;group;pending'= {
        }
        &'runnel;help;serve'= {
        }
        &'runnel;help;demo'= {
        }
        &'runnel;help;completions'= {
        }
        &'runnel;help;help'= {
        }
    ]
    $completions[$command]
}
