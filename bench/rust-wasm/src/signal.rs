//! A one-value channel from a wgpu callback to the code awaiting it.
//!
//! wgpu's web backend reports map and queue completion through callbacks it runs from the
//! browser's event loop; the runner awaits them instead. `Queue::on_submitted_work_done` wants a
//! `Send` callback even on wasm, so the slot is an `Arc<Mutex>` (uncontended: one thread).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

struct Slot<T> {
    value: Option<T>,
    waker: Option<Waker>,
}

/// Resolves to the value the paired callback was called with.
pub struct Receiver<T>(Arc<Mutex<Slot<T>>>);

/// A callback to hand to wgpu, and the future of the value it will receive.
pub fn channel<T: Send + 'static>() -> (impl FnOnce(T) + Send + 'static, Receiver<T>) {
    let slot = Arc::new(Mutex::new(Slot {
        value: None,
        waker: None,
    }));
    let sender = slot.clone();
    let send = move |value: T| {
        let waker = {
            let mut slot = sender.lock().expect("single-threaded");
            slot.value = Some(value);
            slot.waker.take()
        };
        // Woken outside the lock: the executor may poll the receiver right away.
        if let Some(waker) = waker {
            waker.wake();
        }
    };
    (send, Receiver(slot))
}

impl<T> Future for Receiver<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut slot = self.0.lock().expect("single-threaded");
        match slot.value.take() {
            Some(value) => Poll::Ready(value),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
