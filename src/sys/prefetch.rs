//! Asking the CPU to bring bytes into its cache ahead of their use, where
//! the order of use is known but not sequential (lines sent grouped by
//! partition: read back in an order the hardware cannot guess). A hint
//! only: it never faults and changes nothing the program sees.

/// Starts loading the first and last cache line of `bytes`, if any.
#[inline(always)]
pub fn bytes(bytes: Option<&[u8]>) {
    if let Some(b) = bytes
        && let Some(last) = b.len().checked_sub(1)
    {
        line(b.as_ptr());
        line(b[last..].as_ptr());
    }
}

/// Starts loading the cache line where `value` begins.
#[inline(always)]
pub fn value<T>(value: &T) {
    line((value as *const T).cast());
}

#[inline(always)]
fn line(address: *const u8) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    // SAFETY: a prefetch reads nothing the program sees and never faults,
    // whatever the address (here always inside a live value).
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(address.cast());
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = address;
}
