// Command peers drives Redis Streams and NATS JetStream with the bench input
// of scripts/bench-peers.sh (lines `KEY:VALUE`), the way a competent user of
// each would: Redis XADD pipelined in batches, JetStream async publishes with
// a bounded window of outstanding acks, and for reading back, XRANGE pages and
// an ordered JetStream consumer. Values read back go to stdout.
//
//	peers redis-in  ADDR STREAM FILE   XADD every line (fields k, v), pipelined
//	peers redis-out ADDR STREAM N      XRANGE the stream from the start, N records
//	peers nats-in   URL STREAM FILE    create STREAM (file storage) if missing,
//	                                   publish every line to STREAM.KEY
//	peers nats-out  URL STREAM N       read N messages with an ordered consumer
//
// Each exits non-zero with one line on stderr if anything failed or fewer
// records than expected were written or read.
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/redis/go-redis/v9"
)

// How many XADDs one Redis pipeline carries, and how many JetStream
// publishes may await their ack at once.
const (
	redisBatch = 1000
	natsWindow = 4000
	readPage   = 10000
)

func main() {
	if len(os.Args) != 5 {
		fail("usage: peers redis-in|redis-out|nats-in|nats-out ADDR STREAM FILE|N")
	}
	cmd, addr, stream, arg := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	var err error
	switch cmd {
	case "redis-in":
		err = redisIn(addr, stream, arg)
	case "redis-out":
		err = redisOut(addr, stream, count(arg))
	case "nats-in":
		err = natsIn(addr, stream, arg)
	case "nats-out":
		err = natsOut(addr, stream, count(arg))
	default:
		fail("unknown command " + cmd + "; use redis-in, redis-out, nats-in or nats-out")
	}
	if err != nil {
		fail(cmd + ": " + err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "peers: "+msg)
	os.Exit(1)
}

func count(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		fail("'" + s + "' is not a record count")
	}
	return n
}

// lines calls f with the key and value of each line of path.
func lines(path string, f func(key, value []byte) error) (int, error) {
	file, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for scanner.Scan() {
		line := scanner.Bytes()
		key, value, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			return n, fmt.Errorf("line %d has no ':' between key and value", n+1)
		}
		if err := f(key, value); err != nil {
			return n, err
		}
		n++
	}
	return n, scanner.Err()
}

func redisIn(addr, stream, path string) error {
	ctx := context.Background()
	client := redis.NewClient(&redis.Options{Addr: addr})
	defer client.Close()
	pipe := client.Pipeline()
	flush := func() error {
		_, err := pipe.Exec(ctx)
		return err
	}
	_, err := lines(path, func(key, value []byte) error {
		// Copies: the scanner reuses its buffer before the pipeline is sent.
		pipe.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []any{"k", string(key), "v", string(value)}})
		if pipe.Len() == redisBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	return nil
}

func redisOut(addr, stream string, want int) error {
	ctx := context.Background()
	client := redis.NewClient(&redis.Options{Addr: addr})
	defer client.Close()
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	start, n := "-", 0
	for {
		page, err := client.XRangeN(ctx, stream, start, "+", readPage).Result()
		if err != nil {
			return err
		}
		for _, m := range page {
			v, _ := m.Values["v"].(string)
			out.WriteString(v)
			out.WriteByte('\n')
		}
		n += len(page)
		if len(page) < readPage {
			break
		}
		start = "(" + page[len(page)-1].ID
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if n != want {
		return fmt.Errorf("read %d records, expected %d", n, want)
	}
	return nil
}

func natsIn(url, stream, path string) error {
	nc, err := nats.Connect(url)
	if err != nil {
		return err
	}
	defer nc.Close()
	var failed atomic.Int64
	js, err := jetstream.New(nc,
		jetstream.WithPublishAsyncMaxPending(natsWindow),
		jetstream.WithPublishAsyncErrHandler(func(jetstream.JetStream, *nats.Msg, error) { failed.Add(1) }))
	if err != nil {
		return err
	}
	ctx := context.Background()
	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: stream, Subjects: []string{stream + ".>"}, Storage: jetstream.FileStorage,
	})
	if err != nil {
		return err
	}
	prefix := stream + "."
	n, err := lines(path, func(key, value []byte) error {
		// PublishAsync sends the data before returning: no copy needed.
		_, err := js.PublishAsync(prefix+string(key), value)
		return err
	})
	if err != nil {
		return err
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(5 * time.Minute):
		return fmt.Errorf("%d publishes still unacknowledged after 5 minutes", js.PublishAsyncPending())
	}
	if f := failed.Load(); f > 0 {
		return fmt.Errorf("%d of %d publishes failed", f, n)
	}
	return nil
}

func natsOut(url, stream string, want int) error {
	nc, err := nats.Connect(url)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx := context.Background()
	// The count first: waiting for records that are not there would hang.
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return err
	}
	if have := s.CachedInfo().State.Msgs; have != uint64(want) {
		return fmt.Errorf("the stream holds %d records, expected %d", have, want)
	}
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	it, err := cons.Messages(jetstream.PullMaxMessages(readPage))
	if err != nil {
		return err
	}
	defer it.Stop()
	for n := 0; n < want; n++ {
		msg, err := it.Next()
		if err != nil {
			return fmt.Errorf("after %d of %d records: %w", n, want, err)
		}
		out.Write(msg.Data())
		out.WriteByte('\n')
	}
	return out.Flush()
}
