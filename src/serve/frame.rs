//! Kafka's framing: a request is a 4-byte big-endian size and that many
//! bytes. Reading is bounded: a size above [`MAX_REQUEST_BYTES`] closes the
//! connection before anything is allocated, and the body buffer grows only
//! as bytes arrive, so a client claiming a large size and sending nothing
//! costs nothing; `connection` sets the deadline a frame must arrive by and
//! holds what the buffer grows to against the server's request memory
//! (`limits`), not the size a client claims.

use std::io::{self, Read, Write};

use bytes::{BufMut, Bytes, BytesMut};

/// The largest request taken, as Kafka's `socket.request.max.bytes` default.
pub const MAX_REQUEST_BYTES: usize = 100 * 1024 * 1024;

/// Why a connection stops reading.
#[derive(Debug)]
pub enum FrameError {
    /// The peer closed the connection between requests.
    Closed,
    /// A size below zero or above [`MAX_REQUEST_BYTES`].
    BadSize(i32),
    /// The connection ended inside a frame, or failed.
    Io(io::Error),
}

/// Reads one request frame (the bytes after the size), without a copy.
pub fn read_frame(stream: &mut impl Read) -> Result<Bytes, FrameError> {
    let len = read_size(stream)?;
    read_body(stream, len, |_| Ok(()))
}

/// Reads a frame's size prefix, checked against [`MAX_REQUEST_BYTES`].
pub fn read_size(stream: &mut impl Read) -> Result<usize, FrameError> {
    let mut size = [0u8; 4];
    match stream.read_exact(&mut size) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(FrameError::Closed),
        Err(e) => return Err(FrameError::Io(e)),
    }
    let size = i32::from_be_bytes(size);
    let Ok(len) = usize::try_from(size) else { return Err(FrameError::BadSize(size)) };
    if !(8..=MAX_REQUEST_BYTES).contains(&len) {
        return Err(FrameError::BadSize(size));
    }
    Ok(len)
}

/// Reads a frame's `len` bytes, calling `before_read` with the size the
/// buffer is about to have before each read (a deadline check that may also
/// set the socket's timeout, and hold that much request memory). The buffer
/// grows with what arrives (64 KiB at a time), never to the claimed size up
/// front.
pub fn read_body(
    stream: &mut impl Read,
    len: usize,
    mut before_read: impl FnMut(usize) -> io::Result<()>,
) -> Result<Bytes, FrameError> {
    let mut body = Vec::with_capacity(len.min(CHUNK));
    while body.len() < len {
        let start = body.len();
        let grown = start + (len - start).min(CHUNK);
        before_read(grown).map_err(FrameError::Io)?;
        body.resize(grown, 0);
        let read = loop {
            match stream.read(&mut body[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(FrameError::Io(e)),
            }
        };
        body.truncate(start + read);
        if read == 0 {
            return Err(FrameError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the connection ended inside a request",
            )));
        }
    }
    Ok(Bytes::from(body))
}

/// How much of a frame is read at a time.
const CHUNK: usize = 64 * 1024;

/// Writes one response frame: its size, `header` and `body`, then flushes.
/// The body is not copied into a frame of its own (a Fetch response is
/// megabytes): `stream` is a `BufWriter`, which takes the size and header
/// into its buffer and writes a large body straight from where it is.
pub fn write_frame(stream: &mut impl Write, header: &[u8], body: &[u8]) -> io::Result<()> {
    let size = i32::try_from(header.len() + body.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "a response larger than 2 GiB"))?;
    let mut head = BytesMut::with_capacity(4 + header.len());
    head.put_i32(size);
    head.put_slice(header);
    stream.write_all(&head)?;
    stream.write_all(body)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_out_of_bounds_are_refused_before_allocating() {
        let huge = (i32::MAX).to_be_bytes();
        assert!(matches!(read_frame(&mut &huge[..]), Err(FrameError::BadSize(i32::MAX))));
        let negative = (-1i32).to_be_bytes();
        assert!(matches!(read_frame(&mut &negative[..]), Err(FrameError::BadSize(-1))));
    }

    #[test]
    fn a_truncated_frame_is_an_io_error_and_an_empty_stream_is_closed() {
        let mut short = 100i32.to_be_bytes().to_vec();
        short.extend_from_slice(&[0; 10]);
        assert!(matches!(read_frame(&mut &short[..]), Err(FrameError::Io(_))));
        assert!(matches!(read_frame(&mut &[][..]), Err(FrameError::Closed)));
    }

    #[test]
    fn a_whole_frame_is_read() {
        let mut frame = 8i32.to_be_bytes().to_vec();
        frame.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9]);
        let body = read_frame(&mut &frame[..]).map_err(|e| format!("{e:?}"));
        assert_eq!(body.as_deref().ok(), Some(&[1u8, 2, 3, 4, 5, 6, 7, 8][..]));
    }
}
