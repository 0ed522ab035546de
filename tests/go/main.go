// A franz-go client against `runnel serve`, for runnel's tests
// (tests/it/serve_clients.rs):
//
//	go run . BOOTSTRAP TOPIC GROUP COUNT
//
// With kadm it creates TOPIC (3 partitions) and reads its configs; with the
// client's default producer (idempotent, acks=all) it produces COUNT records
// keyed "key-(i%7)" with values "go-i"; as a member of GROUP it reads them
// back, printing "partition key value" per record on stdout, commits and
// leaves; then kadm reads GROUP's commits back, printing
// "committed partition offset" per partition. Any failure is a line on
// stderr and exit 1; every step has a deadline, so nothing hangs.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

const partitions = 3

func main() {
	if len(os.Args) != 5 {
		fail("usage: go run . BOOTSTRAP TOPIC GROUP COUNT")
	}
	bootstrap, topic, group := os.Args[1], os.Args[2], os.Args[3]
	count, err := strconv.Atoi(os.Args[4])
	if err != nil {
		fail("COUNT: %v", err)
	}
	admin(bootstrap, topic)
	produce(bootstrap, topic, count)
	consume(bootstrap, topic, group, count)
	commits(bootstrap, topic, group)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "go client: "+format+"\n", args...)
	os.Exit(1)
}

func step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 60*time.Second)
}

func client(bootstrap string, opts ...kgo.Opt) *kgo.Client {
	base := []kgo.Opt{kgo.SeedBrokers(bootstrap), kgo.WithLogger(kgo.BasicLogger(os.Stderr, logLevel(), nil))}
	cl, err := kgo.NewClient(append(base, opts...)...)
	if err != nil {
		fail("new client: %v", err)
	}
	return cl
}

// admin creates the topic with kadm and checks its partitions and configs.
func admin(bootstrap, topic string) {
	cl := client(bootstrap)
	defer cl.Close()
	adm := kadm.NewClient(cl)
	ctx, cancel := step()
	defer cancel()
	created, err := adm.CreateTopic(ctx, partitions, 1, map[string]*string{"retention.ms": strptr("86400000")}, topic)
	if err != nil || created.Err != nil {
		fail("create topic %s: %v %v", topic, err, created.Err)
	}
	details, err := adm.ListTopics(ctx, topic)
	if err != nil || details.Error() != nil {
		fail("list topics: %v %v", err, details.Error())
	}
	if n := len(details[topic].Partitions); n != partitions {
		fail("topic %s has %d partitions, want %d", topic, n, partitions)
	}
	configs, err := adm.DescribeTopicConfigs(ctx, topic)
	if err != nil {
		fail("describe configs: %v", err)
	}
	config, err := configs.On(topic, nil)
	if err != nil || config.Err != nil {
		fail("configs of %s: %v %v", topic, err, config.Err)
	}
	for _, c := range config.Configs {
		if c.Key == "retention.ms" && c.MaybeValue() != "86400000" {
			fail("retention.ms is %q", c.MaybeValue())
		}
	}
}

func strptr(s string) *string { return &s }

// produce sends count records with the default producer: idempotent, acks=all.
func produce(bootstrap, topic string, count int) {
	cl := client(bootstrap, kgo.DefaultProduceTopic(topic))
	defer cl.Close()
	ctx, cancel := step()
	defer cancel()
	records := make([]*kgo.Record, 0, count)
	for i := 0; i < count; i++ {
		records = append(records, &kgo.Record{Key: []byte(fmt.Sprintf("key-%d", i%7)), Value: []byte(fmt.Sprintf("go-%d", i))})
	}
	if err := cl.ProduceSync(ctx, records...).FirstErr(); err != nil {
		fail("produce: %v", err)
	}
}

// consume reads count records as a member of group, commits and leaves.
func consume(bootstrap, topic, group string, count int) {
	cl := client(bootstrap,
		kgo.ConsumerGroup(group),
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.DisableAutoCommit(),
		kgo.HeartbeatInterval(200*time.Millisecond),
	)
	ctx, cancel := step()
	defer cancel()
	seen := 0
	for seen < count {
		fetches := cl.PollFetches(ctx)
		if errs := fetches.Errors(); len(errs) > 0 {
			fail("poll: %v", errs[0].Err)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			fmt.Printf("%d %s %s\n", r.Partition, r.Key, r.Value)
			seen++
		})
	}
	if err := cl.CommitUncommittedOffsets(ctx); err != nil {
		fail("commit: %v", err)
	}
	if err := cl.LeaveGroupContext(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fail("leave group: %v", err)
	}
	cl.Close()
}

// commits prints the group's committed offsets, read back with kadm.
func commits(bootstrap, topic, group string) {
	cl := client(bootstrap)
	defer cl.Close()
	adm := kadm.NewClient(cl)
	ctx, cancel := step()
	defer cancel()
	offsets, err := adm.FetchOffsets(ctx, group)
	if err != nil || offsets.Error() != nil {
		fail("fetch offsets: %v %v", err, offsets.Error())
	}
	var lines []string
	offsets.Each(func(o kadm.OffsetResponse) {
		if o.Topic == topic {
			lines = append(lines, fmt.Sprintf("committed %d %d", o.Partition, o.At))
		}
	})
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
}

// logLevel is the client's log level: warnings, or GO_CLIENT_LOG=debug|info.
func logLevel() kgo.LogLevel {
	switch os.Getenv("GO_CLIENT_LOG") {
	case "debug":
		return kgo.LogLevelDebug
	case "info":
		return kgo.LogLevelInfo
	}
	return kgo.LogLevelWarn
}
