
# Topic and group names, read from the data dir.
complete -c runnel -n "__fish_seen_subcommand_from consume produce" -f -a "(runnel topic list --names 2>/dev/null)" -d topic
complete -c runnel -n "__fish_seen_subcommand_from topic log; and __fish_seen_subcommand_from describe alter delete trim wait dump verify clean du" -f -a "(runnel topic list --names 2>/dev/null)" -d topic
complete -c runnel -n "__fish_seen_subcommand_from group; and __fish_seen_subcommand_from describe delete wait reset-offsets" -f -a "(runnel group list --names 2>/dev/null)" -d group
