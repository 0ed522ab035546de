//! What a kcat/rpk/Kafka-tools user types on a first day works: boolean
//! environment variables, config-file formats, clear JSON errors, kcat's
//! and rpk's flags and positions, headers, template modifiers, idempotent
//! scripts and the overviews (issue 21).

use crate::common::Sandbox;

#[test]
fn boolean_environment_variables_take_1_0_yes_no_true_false() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], "a\n");
    for (value, quiet) in
        [("1", true), ("yes", true), ("true", true), ("on", true), ("0", false), ("no", false), ("false", false)]
    {
        let out = sb.cmd(&["consume", "t"]).env("RUNNEL_QUIET", value).output().expect("run");
        assert!(out.status.success(), "RUNNEL_QUIET={value}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stderr.is_empty(), quiet, "RUNNEL_QUIET={value}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let out = sb.cmd(&["consume", "t"]).env("RUNNEL_QUIET", "maybe").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_config_files_admin_format_leaves_log_dumps_own_format_alone() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], "a\n");
    let config = sb.root().join("config.toml");
    std::fs::write(&config, "admin-format = \"json\"\n").expect("config");
    let listed = sb.cmd(&["topic", "list"]).env("RUNNEL_CONFIG", &config).output().expect("run");
    assert!(listed.status.success());
    assert!(serde_json::from_slice::<serde_json::Value>(&listed.stdout).is_ok(), "topic list follows admin-format");
    std::fs::write(&config, "admin-format = \"table\"\n").expect("config");
    let dump = sb.cmd(&["log", "dump", "t:0"]).env("RUNNEL_CONFIG", &config).output().expect("run");
    assert!(dump.status.success(), "{}", String::from_utf8_lossy(&dump.stderr));
    assert!(String::from_utf8_lossy(&dump.stdout).contains("baseOffset"), "log dump keeps its text format");
}

#[test]
fn a_line_that_is_not_json_says_so() {
    let sb = Sandbox::new();
    let err = sb.fails_with(&["produce", "t", "--create", "--format", "json"], "{bad\n", 65);
    assert!(
        err.contains("line 1: invalid envelope: not valid JSON: a field name must be in double quotes (column 2)"),
        "{err}"
    );
    assert!(!err.contains("key must be"), "{err}");
}

/// Ten records in one partition, stamped a minute apart from 2024-11-25T08:23:20Z.
fn stamped(sb: &Sandbox) {
    let input: String = (0..10)
        .map(|i| {
            format!("{{\"key\":\"k{i}\",\"value\":\"v{i}\",\"timestamp\":{}}}\n", 1_732_523_000_000i64 + i * 60_000)
        })
        .collect();
    sb.produce("t", &["--format", "json", "--create"], input);
}

#[test]
fn f_is_the_format_and_positions_take_kcats_and_rpks_forms() {
    let sb = Sandbox::new();
    stamped(&sb);
    let offsets = |args: &[&str]| {
        let mut all = vec!["-f", "%o "];
        all.extend_from_slice(args);
        sb.consume("t", &all)
    };
    assert_eq!(offsets(&["-o", "beginning", "-c", "2"]), "0 1 ");
    assert_eq!(offsets(&["--offset", "7"]), "7 8 9 ");
    assert_eq!(offsets(&["-o", "-2", "-e"]), "8 9 ");
    assert_eq!(offsets(&["-o", "+8"]), "8 9 ");
    assert_eq!(offsets(&["-o", "s@1732523180000"]), "3 4 5 6 7 8 9 ");
    assert_eq!(offsets(&["-o", ":end", "-n", "3"]), "0 1 2 ");
    assert_eq!(offsets(&["-o", "2:4"]), "2 3 ");
    assert_eq!(offsets(&["-o", "@1732523060000:e@1732523180000"]), "1 2 ");
    assert_eq!(offsets(&["--from-beginning", "-c", "1"]), "0 ");
    // kcat's -f with %k and %s, as kcat users type it.
    assert_eq!(sb.consume("t", &["-f", "%k %s\\n", "-o", "-1"]), "k9 v9\n");
    // -F follows (with a timeout here: exit 124 after printing everything).
    let out = sb.run(&["consume", "t", "-F", "--timeout", "200ms", "-f", "%o "]);
    assert_eq!((out.status.code(), String::from_utf8_lossy(&out.stdout).as_ref()), (Some(124), "0 1 2 3 4 5 6 7 8 9 "));
    sb.fails(&["consume", "t", "-F", "-e"], 2);
    sb.fails(&["consume", "t", "-o", "soon"], 2);
    sb.fails(&["consume", "t", "-o", "3", "--from-beginning"], 2);
    sb.fails(&["consume", "t", "-o", ":end", "--group", "g"], 2);
}

#[test]
fn a_thirteen_digit_offset_warns_that_it_looks_like_a_time() {
    let sb = Sandbox::new();
    stamped(&sb);
    let out = sb.run(&["consume", "t", "-o", "1732523000000"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("did you mean @1732523000000"), "{stderr}");
    let quiet = sb.run(&["consume", "t", "-o", "12"]);
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("did you mean"));
}

#[test]
fn several_partitions_and_topic_patterns() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "rides.eu", "--partitions", "3"]);
    sb.ok(&["topic", "create", "rides.us"]);
    sb.ok(&["topic", "create", "audit"]);
    for p in 0..3 {
        sb.produce("rides.eu", &["-p", &p.to_string()], format!("eu{p}\n"));
    }
    sb.produce("rides.us", &[], "us\n");
    sb.produce("audit", &[], "a\n");
    let mut got: Vec<String> = sb.consume("rides.eu", &["-p", "0,2"]).lines().map(String::from).collect();
    got.sort();
    assert_eq!(got, ["eu0", "eu2"]);
    let mut got: Vec<String> =
        sb.consume("rides.eu", &["-p", "1", "-p", "2", "-p", "2"]).lines().map(String::from).collect();
    got.sort();
    assert_eq!(got, ["eu1", "eu2"]);
    let mut got: Vec<String> =
        sb.consume("rides.*", &["-r", "-f", "%t "]).split_whitespace().map(String::from).collect();
    got.sort();
    assert_eq!(got, ["rides.eu", "rides.eu", "rides.eu", "rides.us"], "the pattern matches whole names");
    let err = sb.fails(&["consume", "rides", "-r"], 66);
    assert!(err.contains("no topic matches rides"), "a pattern matches whole names: {err}");
    let members = sb.ok(&["-q", "consume", "rides[.].*", "-r", "--group", "g", "-f", "%t\n"]);
    assert_eq!(members.lines().count(), 4, "a group member reads every matching topic");
    sb.fails(&["consume", "(", "-r"], 2);
}

#[test]
fn headers_from_the_command_line_repeat_and_survive_a_json_round_trip() {
    let sb = Sandbox::new();
    sb.produce(
        "h",
        &["--create", "-H", "a=1", "-H", "a=2", "--header", "b=x=y"],
        "hi
",
    );
    assert_eq!(sb.consume("h", &["-f", "%h|%h{json}\n"]), "a=1,a=2,b=x=y|{\"a\":\"1\",\"a\":\"2\",\"b\":\"x=y\"}\n");
    let json = sb.consume("h", &["-f", "json"]);
    sb.produce("h2", &["-f", "json", "--create", "-H", "c=3"], json);
    assert_eq!(sb.consume("h2", &["-f", "%h\n"]), "c=3,a=1,a=2,b=x=y\n", "duplicates kept, -H first");
    sb.fails_with(&["produce", "h", "-H", "novalue"], "x\n", 2);
}

#[test]
fn template_modifiers_and_kcats_null_marker() {
    let sb = Sandbox::new();
    let input = "{\"key\":null,\"value\":\"hi\"}\n{\"key\":\"k\",\"value\":null}\n{\"key\":\"k\",\"value\":{\"base64\":\"/w==\"}}\n";
    sb.produce("m", &["-f", "json", "--create"], input);
    assert_eq!(sb.consume_bytes("m", &["-f", "[%k][%v]\\n"]), b"[][hi]\n[k][]\n[k][\xff]\n", "%v is %s");
    assert_eq!(
        sb.consume("m", &["-f", "%k{hex}|%v{hex}|%v{base64}|%v{json}\\n"]),
        "|6869|aGk=|\"hi\"\n6b|||null\n6b|ff|/w==|{\"base64\":\"/w==\"}\n"
    );
    assert_eq!(sb.consume("m", &["-Z", "-f", "[%k][%v]\\n", "-c", "2"]), "[NULL][hi]\n[k][NULL]\n");
    assert_eq!(sb.consume("m", &["-Z", "-c", "2"]), "hi\nNULL\n", "-Z in the value format");
    assert!(sb.consume("m", &["-Z", "-f", "json", "-c", "1"]).contains("\"key\":null"), "JSON keeps null");
    sb.fails(&["consume", "m", "-f", "%p{hex}"], 2);
}

/// Every line of every help's "Examples:" paragraph, with the command it belongs to.
fn example_lines() -> Vec<(String, String)> {
    fn walk(command: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
        if let Some(after) = command.get_after_help() {
            let text = after.to_string();
            for paragraph in text.split("\n\n").filter(|p| p.starts_with("Examples:")) {
                out.extend(paragraph.lines().skip(1).map(|l| (path.to_string(), l.to_string())));
            }
        }
        for sub in command.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }
    let mut out = Vec::new();
    walk(&runnel::cli::command(), "runnel", &mut out);
    out
}

#[test]
fn help_examples_fit_an_80_column_terminal_and_global_options_have_a_heading() {
    let long: Vec<String> = example_lines()
        .into_iter()
        .filter(|(_, line)| line.chars().count() > 80)
        .map(|(cmd, line)| format!("{cmd}: {line}"))
        .collect();
    assert!(long.is_empty(), "examples wider than 80 columns wrap mid-command:\n{}", long.join("\n"));
    let sb = Sandbox::new();
    let help = sb.ok(&["consume", "--help"]);
    let heading = help.find("Global options:").expect("a Global options heading");
    assert!(help[heading..].contains("--data-dir"), "{help}");
    assert!(!help[..heading].contains("--data-dir"), "global options only under their heading");
}

#[test]
fn idempotent_topic_create_and_delete() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    sb.fails(&["topic", "create", "t"], 73);
    let out = sb.run(&["topic", "create", "t", "--if-not-exists"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists; nothing to do"));
    // A collision that is not the same topic still conflicts.
    sb.ok(&["topic", "create", "a.b"]);
    sb.fails(&["topic", "create", "a_b", "--if-not-exists"], 73);
    sb.ok(&["topic", "delete", "t"]);
    sb.fails(&["topic", "delete", "t"], 66);
    let out = sb.run(&["topic", "delete", "t", "--if-exists"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to do"));
}

#[test]
fn man_pages_have_an_exit_status_section_and_list_only_pages_that_exist() {
    let files = runnel::cli::completions::generated_files().expect("generate");
    let pages: Vec<String> =
        files.iter().filter_map(|(path, _)| path.strip_prefix("man").ok().map(|p| p.display().to_string())).collect();
    for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with("man")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(text.contains(".SH \"EXIT STATUS\"") && text.contains("\n73\n"), "{}", path.display());
        assert!(text.contains("\n.nh\n"), "hyphenation is off in {}", path.display());
        // Every page named in a SUBCOMMANDS list exists.
        for line in text.lines().filter(|l| l.starts_with("runnel\\-") && l.ends_with("(1)")) {
            let page = line.replace("\\-", "-").replace("(1)", ".1");
            assert!(pages.contains(&page), "{} lists {page}, which does not exist", path.display());
        }
        if text.contains(".SH EXAMPLES") {
            assert!(text.contains(".SH EXAMPLES\n.nf\n"), "examples are not filled in {}", path.display());
        }
    }
    assert!(!pages.iter().any(|p| p.contains("help") || p.contains("generate")), "{pages:?}");
}

#[test]
fn completion_offers_no_hidden_command_and_bash_completes_topic_and_group_names() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "rides"]);
    sb.ok(&["topic", "create", "audit"]);
    sb.ok(&["-q", "consume", "rides", "--group", "billing"]);
    sb.ok(&["-q", "consume", "rides", "--group", "back office"]);
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = sb.ok(&["completions", shell]);
        assert!(!script.contains("generate"), "{shell} offers the hidden generate command");
    }
    let zsh = sb.ok(&["completions", "zsh"]);
    assert!(zsh.contains("'*::topics -- The topic (or topics) to read") && zsh.contains("_runnel_topic_names() {"));
    assert!(zsh.contains(":_runnel_group_names' \\"), "zsh completes group names");
    assert!(zsh.contains("//:/\\\\:}"), "zsh escapes a group id's colon for _describe");
    assert!(
        zsh.lines().any(|l| l.contains("The topic name") && l.ends_with(":_default' \\")),
        "not a new topic's name"
    );
    assert!(zsh.lines().filter(|l| l.contains("*::topics --")).all(|l| l.contains("_runnel_topic_names")));
    let script = sb.root().join("runnel.bash");
    std::fs::write(&script, sb.ok(&["completions", "bash"])).expect("script");
    sb.ok(&["-q", "consume", "rides", "--group", "app:v1"]);
    sb.ok(&["-q", "consume", "rides", "--group", "app:v2:eu"]);
    let complete = |line: &str| {
        // As bash splits the line: at spaces, and a ':' a word of its own.
        let words: Vec<String> = line
            .split(' ')
            .flat_map(|w| {
                let mut parts: Vec<String> =
                    w.split(':').flat_map(|p| [":".to_string(), p.to_string()]).skip(1).collect();
                parts.retain(|p| !p.is_empty());
                if parts.is_empty() { vec![String::new()] } else { parts }
            })
            .collect();
        let program = format!(
            "source {}\nCOMP_WORDBREAKS=$' \\t\\n><=;|&(:'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n_runnel_with_names runnel \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" "),
            words.len() - 1
        );
        let bin_dir = Sandbox::bin().parent().expect("dir").to_path_buf();
        let out = std::process::Command::new("bash")
            .args(["-c", &program])
            .env("PATH", format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()))
            .env("RUNNEL_DATA_DIR", sb.path())
            .output()
            .expect("bash");
        let mut got: Vec<String> =
            String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.is_empty()).map(String::from).collect();
        got.sort();
        got.dedup();
        got
    };
    assert_eq!(complete("runnel consume r"), ["rides"]);
    assert_eq!(complete("runnel topic describe "), ["audit", "rides"]);
    assert_eq!(complete("runnel consume rides --group bi"), ["billing"]);
    assert_eq!(
        complete("runnel group describe "),
        ["app:v1", "app:v2:eu", "back\\ office", "billing"],
        "a space quoted for the shell"
    );
    // A colon splits the word for bash: what follows the last one is offered.
    assert_eq!(complete("runnel consume rides --group app:"), ["v1", "v2:eu"]);
    assert_eq!(complete("runnel group describe app:v2:"), ["eu"]);
    assert_eq!(complete("runnel group delete ap"), ["app:v1", "app:v2:eu"]);
    assert_eq!(complete("runnel ge"), Vec::<String>::new(), "generate is hidden");
    assert_eq!(complete("runnel gr"), ["group"]);
}

#[test]
fn describe_several_or_all_topics_with_message_counts() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "a", "--partitions", "2"]);
    sb.ok(&["topic", "create", "b"]);
    sb.produce("a", &["-p", "1"], "x\ny\n");
    let all: serde_json::Value = serde_json::from_str(&sb.ok(&["topic", "describe", "-f", "json"])).expect("json");
    let names: Vec<&str> = all.as_array().expect("array").iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(all[0]["partitions"][1]["messages"], 2);
    let two: serde_json::Value =
        serde_json::from_str(&sb.ok(&["topic", "describe", "b", "a", "-f", "json"])).expect("json");
    assert_eq!(two[0]["name"], "b");
    assert!(sb.describe("a")["partitions"].is_array(), "one name is still one object");
    sb.fails(&["topic", "describe", "a", "nope"], 66);
    // Trimming moves the log start: the count is high watermark minus log start.
    sb.ok(&["topic", "trim", "a", "--before", "1", "-p", "1"]);
    assert_eq!(sb.describe("a")["partitions"][1]["messages"], 1);
}

#[test]
fn group_describe_members_shows_who_holds_which_partitions() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    let mut member = sb
        .std_cmd(&["-q", "consume", "t", "--group", "g", "--follow", "--client-id", "biller"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let members = || -> serde_json::Value {
        let out = sb.run(&["group", "describe", "g", "--members", "-f", "json"]);
        serde_json::from_slice(&out.stdout).unwrap_or_default()
    };
    let joined = crate::common::wait_until(std::time::Duration::from_secs(20), || {
        members()
            .as_array()
            .is_some_and(|m| m.len() == 1 && m[0]["assignment"].as_array().is_some_and(|a| a.len() == 2))
    });
    let table = sb.ok(&["group", "describe", "g", "--members"]);
    let state = sb.ok(&["group", "describe", "g", "--state"]);
    let _ = member.kill();
    let _ = member.wait();
    assert!(joined, "the member never held both partitions: {}", members());
    assert!(table.starts_with("GROUP  CONSUMER-ID"), "{table}");
    assert!(table.contains("biller") && table.contains("t:0,t:1"), "{table}");
    assert!(state.contains("Stable") && state.contains("range"), "{state}");
}

/// A member of many partitions still says so in one short line: runs of
/// partitions as ranges, and past ten items a count of the rest.
#[test]
fn a_member_of_hundreds_of_partitions_says_so_in_one_short_line() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "400"]);
    let strategy = ["--assignment-strategy", "roundrobin"];
    let (mut first, first_lines) = member_with_stderr(&sb, &strategy);
    let joined = line_containing(&first_lines, "joined group 'g'");
    let (mut second, _second_lines) = member_with_stderr(&sb, &strategy);
    let rebalanced = line_containing(&first_lines, "rebalanced");
    for child in [&mut first, &mut second] {
        let _ = child.kill();
        let _ = child.wait();
    }
    let joined = joined.expect("a join line");
    assert!(joined.ends_with("assigned t-0 to t-399 (400 partitions)"), "{joined}");
    // Round robin over two members: every other partition, no ranges.
    let rebalanced = rebalanced.expect("a rebalance line");
    assert!(rebalanced.ends_with(" and 190 more (200 partitions)"), "{rebalanced}");
    assert!(rebalanced.len() < 200, "{rebalanced}");
}

/// Spawns a `consume --group g --follow` member with stderr lines in a channel.
fn member_with_stderr(sb: &Sandbox, extra: &[&str]) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    use std::io::BufRead;
    let mut args = vec!["consume", "t", "--group", "g", "--follow"];
    args.extend_from_slice(extra);
    let mut child = sb
        .std_cmd(&args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn line_containing(rx: &std::sync::mpsc::Receiver<String>, text: &str) -> Option<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if line.contains(text) => return Some(line),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

#[test]
fn a_group_member_says_which_partitions_each_rebalance_gave_it() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    let (mut first, first_lines) = member_with_stderr(&sb, &[]);
    let joined = line_containing(&first_lines, "joined group 'g'");
    let (mut second, second_lines) = member_with_stderr(&sb, &[]);
    let rebalanced = line_containing(&first_lines, "rebalanced");
    let second_joined = line_containing(&second_lines, "joined group 'g'");
    let (mut quiet, quiet_lines) = member_with_stderr(&sb, &["-q"]);
    let third_rebalance = line_containing(&first_lines, "rebalanced");
    for child in [&mut first, &mut second, &mut quiet] {
        let _ = child.kill();
        let _ = child.wait();
    }
    assert!(joined.as_deref().is_some_and(|l| l.ends_with("assigned t-0, t-1")), "{joined:?}");
    let rebalanced = rebalanced.expect("a rebalance line");
    assert!(rebalanced.contains("(generation ") && rebalanced.contains("assigned t-"), "{rebalanced}");
    assert!(second_joined.as_deref().is_some_and(|l| l.contains("assigned t-")), "{second_joined:?}");
    assert!(third_rebalance.is_some(), "the third member joining rebalances the group");
    let quiet_said: Vec<String> = quiet_lines.try_iter().collect();
    assert!(quiet_said.iter().all(|l| !l.contains("assigned")), "-q prints no rebalance lines: {quiet_said:?}");
}

#[test]
fn growing_a_topic_with_keyed_messages_warns_that_keys_move() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "keyed", "--partitions", "2"]);
    sb.produce("keyed", &["-K", ":"], "a:1\nb:2\n");
    let out = sb.run(&["topic", "alter", "keyed", "--partitions", "4"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: topic 'keyed' holds messages with keys") && stderr.contains("% 4"), "{stderr}");
    sb.ok(&["topic", "create", "plain", "--partitions", "2"]);
    sb.produce("plain", &[], "1\n2\n");
    let out = sb.run(&["topic", "alter", "plain", "--partitions", "4"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"), "no keys, no warning");
}

#[test]
fn produce_at_a_terminal_says_how_to_end_and_draws_no_spinner() {
    use std::io::{Read, Write};
    let sb = Sandbox::new();
    let (mut master, slave) = crate::ux::open_pty();
    let mut child = sb
        .std_cmd(&["produce", "typed", "--create"])
        .env("TERM", "xterm")
        .stdin(slave.try_clone().expect("dup"))
        .stderr(slave)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let mut reader = master.try_clone().expect("dup master");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        // EIO once the child closed the terminal's last writer.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut shown = Vec::new();
    let until = |text: &str, shown: &mut Vec<u8>| {
        crate::common::wait_until(std::time::Duration::from_secs(20), || {
            shown.extend(rx.try_iter().flatten());
            String::from_utf8_lossy(shown).contains(text)
        })
    };
    assert!(until("Ctrl-D to end", &mut shown), "no hint: {:?}", String::from_utf8_lossy(&shown));
    master.write_all(b"hello\nworld\n").expect("type");
    assert!(sb_has_messages(&sb, 2), "typed lines are produced as they are typed");
    master.write_all(&[4]).expect("Ctrl-D");
    assert!(until("produced 2 messages", &mut shown), "{:?}", String::from_utf8_lossy(&shown));
    assert!(child.wait().expect("wait").success());
    let text = String::from_utf8_lossy(&shown);
    let redrawn = text.replace("\r\n", "\n").contains('\r');
    assert!(!text.contains('\u{1b}') && !redrawn, "a spinner drew on the terminal: {text:?}");
    assert_eq!(sb.consume("typed", &[]), "hello\nworld\n");
}

fn sb_has_messages(sb: &Sandbox, n: u64) -> bool {
    crate::common::wait_until(std::time::Duration::from_secs(20), || {
        sb.describe("typed")["partitions"][0]["messages"].as_u64() == Some(n)
    })
}

#[test]
fn produce_prints_its_rate_with_a_metric_prefix() {
    let sb = Sandbox::new();
    let input: String = (0..50_000).map(|i| format!("{i}\n")).collect();
    let out = sb.run_with(&["produce", "t", "--create"], input);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let shape = regex::Regex::new(r"\((\d{1,3}|\d\.\d\d [kMG]|\d\d\.\d [kMG]|\d{3} [kMG]) msgs/s\)$").expect("regex");
    assert!(shape.is_match(stderr.trim_end()), "{stderr}");
    assert!(!stderr.contains(','), "{stderr}");
}
