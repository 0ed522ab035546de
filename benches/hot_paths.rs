//! Criterion benches for the per-message hot paths: frame encoding and
//! decoding, Kafka's murmur2 partitioner, index lookups, and the record
//! formats of `consume`. Run with `cargo bench --bench hot_paths`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use runnel::consumer::RecordSink;
use runnel::output::records::{RecordFormat, RecordWriter};
use runnel::producer::partitioner::{murmur2, partition_for_key};
use runnel::store::{Frame, FrameBuilder, FrameCheck, OffsetEntry, OffsetIndex, RecordParts, check_frame};

const RECORDS: usize = 2000;

fn value(i: usize) -> Vec<u8> {
    format!(
        "{{\"car_id\":\"car-{}\",\"ride\":{i},\"km\":12.5,\"city\":\"Lisbon\",\"fare\":{{\"eur\":7.25}}}}",
        i % 1000
    )
    .into_bytes()
}

/// The keys and values of the sample records.
fn sample_records() -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let keys = (0..RECORDS).map(|i| format!("car-{}", i % 1000).into_bytes()).collect();
    (keys, (0..RECORDS).map(value).collect())
}

/// Encodes the records into `builder` (emptied first) and seals the frame.
fn encode<'b>(builder: &'b mut FrameBuilder, keys: &[Vec<u8>], values: &[Vec<u8>]) -> &'b [u8] {
    builder.clear();
    for (k, v) in keys.iter().zip(values) {
        let parts =
            RecordParts { timestamp: 1_732_523_000_000, key: Some(k), value: Some(v), headers: &[], header_count: 0 };
        builder.push(&parts);
    }
    builder.seal(0, 0)
}

fn sample_frame() -> Vec<u8> {
    let (keys, values) = sample_records();
    encode(&mut FrameBuilder::new(), &keys, &values).to_vec()
}

fn frames(c: &mut Criterion) {
    let (keys, values) = sample_records();
    let mut group = c.benchmark_group("frame");
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.bench_function("encode 2000 records", |b| {
        let mut builder = FrameBuilder::with_capacity(256 * 1024);
        b.iter(|| black_box(encode(&mut builder, &keys, &values).len()))
    });
    let bytes = sample_frame();
    group.bench_function("verify and decode 2000 records", |b| {
        b.iter(|| {
            let FrameCheck::Whole(header) = check_frame(black_box(&bytes)) else { panic!("frame does not verify") };
            let frame = Frame::new(header, &bytes);
            black_box(frame.records().flatten().map(|r| r.value.map_or(0, <[u8]>::len)).sum::<usize>())
        })
    });
    group.finish();
}

fn partitioner(c: &mut Criterion) {
    let keys: Vec<Vec<u8>> = (0..1000).map(|i| format!("car-{i}").into_bytes()).collect();
    let mut group = c.benchmark_group("partitioner");
    group.throughput(Throughput::Elements(keys.len() as u64));
    group.bench_function("murmur2 1000 keys", |b| {
        b.iter(|| keys.iter().map(|k| murmur2(black_box(k))).fold(0i32, i32::wrapping_add))
    });
    group.bench_function("partition_for_key 1000 keys", |b| {
        b.iter(|| keys.iter().map(|k| partition_for_key(black_box(k), 6)).sum::<u32>())
    });
    group.finish();
}

fn index(c: &mut Criterion) {
    let mut bytes = Vec::new();
    for i in 0..262_144u32 {
        OffsetEntry { relative_offset: i * 37, position: i * 4096 }.encode(&mut bytes);
    }
    let view = OffsetIndex::new(&bytes);
    c.bench_function("index floor lookup (262144 entries)", |b| {
        let mut target = 0u32;
        b.iter(|| {
            target = target.wrapping_add(7_919) % (262_144 * 37);
            black_box(view.floor(black_box(target)))
        })
    });
}

fn formats(c: &mut Criterion) {
    let bytes = sample_frame();
    let FrameCheck::Whole(header) = check_frame(&bytes) else { panic!("frame does not verify") };
    let mut group = c.benchmark_group("consume format");
    group.throughput(Throughput::Elements(RECORDS as u64));
    for name in ["value", "json", "%k %p:%o %s\\n"] {
        group.bench_function(name, |b| {
            let mut writer = RecordWriter::new(std::io::sink(), RecordFormat::parse(name).expect("format"));
            b.iter(|| {
                for record in Frame::new(header, &bytes).records().flatten() {
                    writer.write("rides", 0, &record).expect("write");
                }
                writer.flush().expect("flush");
            })
        });
    }
    group.finish();
}

/// What `runnel serve` pays per fetched frame: re-encoding it as a Kafka
/// RecordBatch v2 (`serve::records::encode`), against sending its bytes as
/// they are (what a frame that is a RecordBatch byte for byte would cost).
/// The figures decide ARCHITECTURE.md section 8's "convert the frame?".
fn serve_fetch(c: &mut Criterion) {
    let bytes = sample_frame();
    let mut group = c.benchmark_group("serve fetch");
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.bench_function("re-encode a 2000-record frame as a Kafka batch", |b| {
        let mut out = Vec::with_capacity(bytes.len() * 2);
        b.iter(|| {
            let FrameCheck::Whole(header) = check_frame(black_box(&bytes)) else { panic!("frame does not verify") };
            out.clear();
            runnel::serve::records::encode::append_batch(&Frame::new(header, &bytes), &mut out).expect("encode");
            black_box(out.len())
        })
    });
    group.bench_function("copy a 2000-record frame as it is", |b| {
        let mut out = Vec::with_capacity(bytes.len() * 2);
        b.iter(|| {
            out.clear();
            out.extend_from_slice(black_box(&bytes));
            black_box(out.len())
        })
    });
    group.finish();
}

criterion_group!(benches, frames, partitioner, index, formats, serve_fetch);
criterion_main!(benches);
