//! The decoder's worker threads: hand-overs in microseconds, not wake-ups.
//!
//! Generating one token runs about 150 parallel sections, each a few tens of
//! microseconds long, with short serial steps between them. A pool whose
//! idle workers go to sleep (rayon's) pays a wake-up for most sections, and
//! on a busy virtual machine that wake-up can cost as much as the section;
//! llama.cpp's workers spin instead. So do these: a worker spins while work
//! keeps coming and parks only after about a millisecond without any.
//!
//! The calling thread always takes part, so a pool of `n` threads starts
//! `n - 1` workers.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long an idle worker spins before it parks.
const SPIN: Duration = Duration::from_millis(1);

/// The job before the first.
static NOTHING: fn(usize) = |_| {};

/// One published job: `run(i)` for each task `i` the cursor hands out.
#[derive(Clone, Copy)]
struct Job {
    run: *const (dyn Fn(usize) + Sync),
}

/// The cursor packs a job's number, its task count and the next task to
/// claim, so that a claim can never be read against another job's count.
const INDEX_BITS: u32 = 20;
const TASKS_BITS: u32 = 20;
const FIELD: u64 = (1 << INDEX_BITS) - 1;

fn cursor(number: u64, tasks: usize, index: usize) -> u64 {
    (number << (INDEX_BITS + TASKS_BITS)) | ((tasks as u64) << INDEX_BITS) | index as u64
}

fn number_of(cursor: u64) -> u64 {
    cursor >> (INDEX_BITS + TASKS_BITS)
}

struct Shared {
    /// The job's number, its task count and the next task to claim.
    cursor: AtomicU64,
    /// The job of the current number (written only while no task of the
    /// previous job is unfinished).
    job: UnsafeCell<Job>,
    /// Tasks of the current job finished.
    done: AtomicUsize,
    stop: AtomicBool,
    /// Workers parked, and the signal that wakes them.
    parked: Mutex<usize>,
    wake: Condvar,
}

// SAFETY: `job` is written by the one thread that runs jobs, only between
// jobs (when every task of the last one is done and before the cursor names
// the next), and read by workers only for a task they claimed through the
// cursor, which the writer waits for.
unsafe impl Sync for Shared {}
unsafe impl Send for Shared {}

pub struct Pool {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
    /// Serializes `run` (one job at a time).
    running: Mutex<()>,
}

impl Pool {
    /// A pool computing on `threads` threads (the caller's included).
    pub fn new(threads: usize) -> std::io::Result<Pool> {
        let shared = Arc::new(Shared {
            cursor: AtomicU64::new(0),
            job: UnsafeCell::new(Job { run: &NOTHING }),
            done: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            parked: Mutex::new(0),
            wake: Condvar::new(),
        });
        let mut workers = Vec::new();
        for i in 1..threads.max(1) {
            let shared = shared.clone();
            workers.push(std::thread::Builder::new().name(format!("nook-llm-{i}")).spawn(move || work(&shared))?);
        }
        Ok(Pool { shared, workers, running: Mutex::new(()) })
    }

    pub fn threads(&self) -> usize {
        self.workers.len() + 1
    }

    /// Calls `f(i)` for every `i` in `0..tasks`, on all threads, and returns
    /// when every call has returned.
    pub fn run(&self, tasks: usize, f: &(dyn Fn(usize) + Sync)) {
        if tasks == 0 {
            return;
        }
        if self.workers.is_empty() || tasks == 1 {
            (0..tasks).for_each(f);
            return;
        }
        assert!(tasks as u64 <= FIELD, "{tasks} tasks are more than a job holds");
        let _one_at_a_time = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let shared = &*self.shared;
        let number = (number_of(shared.cursor.load(Ordering::Relaxed)) + 1) & 0xFF_FFFF;
        // SAFETY: no task of the previous job is running (we waited for all
        // of them), and workers read `job` only after claiming a task of the
        // number published below. The lifetime of `f` is erased: it outlives
        // every call, because this function returns only once all are done.
        unsafe {
            let run: *const (dyn Fn(usize) + Sync) = std::mem::transmute::<&(dyn Fn(usize) + Sync), &'static (dyn Fn(usize) + Sync)>(f);
            *shared.job.get() = Job { run };
        }
        shared.done.store(0, Ordering::Relaxed);
        shared.cursor.store(cursor(number, tasks, 0), Ordering::Release);
        if *shared.parked.lock().unwrap_or_else(|p| p.into_inner()) > 0 {
            shared.wake.notify_all();
        }
        // Take part, then wait for the others' tasks.
        run_tasks(shared, number);
        while shared.done.load(Ordering::Acquire) < tasks {
            std::hint::spin_loop();
        }
    }

    /// Calls `f` once for every item, each item to one call, on all threads.
    pub fn for_each<T: Send>(&self, items: &mut [T], f: impl Fn(&mut T) + Sync) {
        struct Items<T>(*mut T);
        // SAFETY: every index is claimed by exactly one task (see `run`), so
        // no two calls get the same item.
        unsafe impl<T: Send> Sync for Items<T> {}
        let base = Items(items.as_mut_ptr());
        let base = &base;
        self.run(items.len(), &|i| f(unsafe { &mut *base.0.add(i) }));
    }

    /// Splits `out` into pieces of `chunk` values and calls `f(index, piece)`
    /// for each, on all threads.
    pub fn for_each_chunk(&self, out: &mut [f32], chunk: usize, f: impl Fn(usize, &mut [f32]) + Sync) {
        let mut pieces: Vec<(usize, &mut [f32])> = out.chunks_mut(chunk.max(1)).enumerate().collect();
        self.for_each(&mut pieces, |(i, piece)| f(*i, piece));
    }
}

/// Claims and runs tasks of job `number` until none is left.
fn run_tasks(shared: &Shared, number: u64) {
    loop {
        let current = shared.cursor.load(Ordering::Acquire);
        let (index, tasks) = ((current & FIELD) as usize, ((current >> INDEX_BITS) & FIELD) as usize);
        if number_of(current) != number || index >= tasks {
            return;
        }
        if shared.cursor.compare_exchange_weak(current, current + 1, Ordering::AcqRel, Ordering::Relaxed).is_err() {
            continue;
        }
        // SAFETY: task `index` of job `number` is ours and not done, so the
        // job cannot be replaced (and its closure is alive) until we count
        // it done; it was written before the cursor that named it.
        let job = unsafe { *shared.job.get() };
        unsafe { (*job.run)(index) };
        shared.done.fetch_add(1, Ordering::Release);
    }
}

fn work(shared: &Shared) {
    let mut seen = 0u64;
    let mut idle_since = Instant::now();
    loop {
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        let number = number_of(shared.cursor.load(Ordering::Acquire));
        if number != seen {
            seen = number;
            run_tasks(shared, number);
            idle_since = Instant::now();
            continue;
        }
        if idle_since.elapsed() < SPIN {
            for _ in 0..64 {
                std::hint::spin_loop();
            }
            continue;
        }
        // Park until a job comes (or the pool is dropped): an idle model
        // costs no CPU.
        let mut parked = shared.parked.lock().unwrap_or_else(|p| p.into_inner());
        *parked += 1;
        while !shared.stop.load(Ordering::Relaxed) && number_of(shared.cursor.load(Ordering::Acquire)) == seen {
            // No wake-up is lost: `run` publishes the cursor before it
            // looks at `parked` under this lock, and `drop` sets `stop`
            // and signals under it too.
            parked = shared.wake.wait(parked).unwrap_or_else(|p| p.into_inner());
        }
        *parked -= 1;
        idle_since = Instant::now();
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        {
            let _parked = self.shared.parked.lock().unwrap_or_else(|p| p.into_inner());
            self.shared.stop.store(true, Ordering::Relaxed);
            self.shared.wake.notify_all();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_runs_once_per_job_over_many_jobs() {
        let pool = Pool::new(3).unwrap();
        for round in 0..20_000 {
            let tasks = round % 17;
            let counts: Vec<AtomicUsize> = (0..tasks).map(|_| AtomicUsize::new(0)).collect();
            pool.run(tasks, &|i| {
                counts[i].fetch_add(1, Ordering::Relaxed);
            });
            let seen: Vec<usize> = counts.iter().map(|c| c.load(Ordering::Relaxed)).collect();
            assert!(seen.iter().all(|&c| c == 1), "round {round}: {seen:?}");
        }
    }

    #[test]
    fn chunks_are_written_in_place_and_parked_workers_wake() {
        let pool = Pool::new(2).unwrap();
        let mut out = vec![0f32; 1000];
        pool.for_each_chunk(&mut out, 64, |i, piece| piece.iter_mut().enumerate().for_each(|(j, v)| *v = (i * 64 + j) as f32));
        assert!(out.iter().enumerate().all(|(i, v)| *v == i as f32));
        std::thread::sleep(SPIN * 5); // the worker parks
        let mut again = vec![0u32; 10];
        pool.for_each(&mut again, |v| *v += 1);
        assert_eq!(again, vec![1; 10]);
    }
}
