//! A dropped `Secret` leaves no copy of its value in freed memory. The allocator of this test
//! binary looks at every block as it is freed, so nothing reads memory after it was released.

#![allow(clippy::unwrap_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

const CANARY: &[u8] = b"CANARY-7d1f-secret-value";

/// Counts freed blocks that still held the canary.
static FREED_WITH_CANARY: AtomicUsize = AtomicUsize::new(0);

struct Watching;

unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
        if block.windows(CANARY.len()).any(|w| w == CANARY) {
            FREED_WITH_CANARY.fetch_add(1, Ordering::SeqCst);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Watching = Watching;

fn canary() -> String {
    String::from_utf8(CANARY.to_vec()).unwrap()
}

#[test]
fn a_dropped_secret_is_zeroed_before_its_memory_is_freed() {
    // Control: a plain String is freed with its bytes intact, so the allocator does see it.
    let before = FREED_WITH_CANARY.load(Ordering::SeqCst);
    drop(std::hint::black_box(canary()));
    assert_eq!(FREED_WITH_CANARY.load(Ordering::SeqCst), before + 1);

    let before = FREED_WITH_CANARY.load(Ordering::SeqCst);
    let secret = secrets::Secret::new(canary());
    let copy = secret.clone();
    drop(std::hint::black_box(secret));
    drop(std::hint::black_box(copy));
    assert_eq!(FREED_WITH_CANARY.load(Ordering::SeqCst), before);
}
