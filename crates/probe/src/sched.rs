//! Bounded scheduling for the HTTP side of [`crate::gather`]: worker threads per lane (the GitHub
//! API host; the registry and its token service), each carrying one request at a time, started
//! when a job finds no free worker, so every request that needs no other's answer goes out at
//! once (issue #16) while a run holds at most [`CONNECTIONS_PER_HOST`] connections per lane
//! whatever the number of images, and its threads and memory stay bounded (issue #14, item 5).
//!
//! A job is a closure that sends one request and hands its answer on; it gets the lanes, so it
//! may submit the jobs that needed its answer (the manifest after the tokens). Jobs marked [`Priority::First`] are
//! taken before the others of their lane. [`Group`] counts a set of jobs so that one thread can
//! wait for all of them. Workers run inside the gatherer's `thread::scope`, started by the one
//! thread that runs [`Lanes::grow_with`], and end when the lanes are closed.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::Scope;

/// Worker threads (so connections) per lane at most. Enough for every request of a run with a
/// dozen images to be in flight at once (two owners and three images already need nine on the
/// API lane); small enough for any server. A run starts only the workers its jobs need.
pub(crate) const CONNECTIONS_PER_HOST: usize = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lane {
    /// The GitHub REST API.
    Api = 0,
    /// The registry and its token service.
    Registry = 1,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Priority {
    /// On the critical path or finishing what was started: taken first.
    First,
    Normal,
}

type Job<'env> = Box<dyn FnOnce(&Lanes<'env>) + Send + 'env>;

#[derive(Default)]
struct Queue<'env> {
    first: VecDeque<Job<'env>>,
    normal: VecDeque<Job<'env>>,
    /// Workers waiting for a job.
    idle: usize,
    /// Workers started or asked for.
    workers: usize,
    /// Of those, the ones not yet at work (to start, or starting).
    coming: usize,
    /// Of those, the ones [`Lanes::grow_with`] is still to start.
    to_start: usize,
}

impl<'env> Queue<'env> {
    fn pop(&mut self) -> Option<Job<'env>> {
        self.first.pop_front().or_else(|| self.normal.pop_front())
    }
    fn queued(&self) -> usize {
        self.first.len() + self.normal.len()
    }
    /// Asks for one more worker when the queued jobs outnumber the free and coming ones and the
    /// lane is not at its width; whether it did.
    fn grow(&mut self) -> bool {
        let more = self.queued() > self.idle + self.coming && self.workers < CONNECTIONS_PER_HOST;
        if more {
            self.workers += 1;
            self.coming += 1;
            self.to_start += 1;
        }
        more
    }
}

#[derive(Default)]
struct State<'env> {
    queues: [Queue<'env>; 2],
    closed: bool,
}

/// The lanes' queues. Workers call [`Lanes::work`]; anyone may submit.
#[derive(Default)]
pub(crate) struct Lanes<'env> {
    state: Mutex<State<'env>>,
    wake: [Condvar; 2],
    /// Wakes [`Lanes::grow_with`].
    grow: Condvar,
}

impl<'env> Lanes<'env> {
    fn lock(&self) -> MutexGuard<'_, State<'env>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `job` on `lane`.
    pub(crate) fn submit(&self, lane: Lane, priority: Priority, job: impl FnOnce(&Lanes<'env>) + Send + 'env) {
        let mut state = self.lock();
        let queue = &mut state.queues[lane as usize];
        match priority {
            Priority::First => queue.first.push_back(Box::new(job)),
            Priority::Normal => queue.normal.push_back(Box::new(job)),
        }
        let grow = queue.grow();
        drop(state);
        self.wake[lane as usize].notify_one();
        if grow {
            self.grow.notify_one();
        }
    }

    /// Queues `job` only when a worker of `lane` is free for it now, so it goes out at once
    /// without delaying anything queued; otherwise gives it back.
    pub(crate) fn submit_if_free<J: FnOnce(&Lanes<'env>) + Send + 'env>(&self, lane: Lane, job: J) -> Result<(), J> {
        let mut state = self.lock();
        let queue = &mut state.queues[lane as usize];
        if queue.idle <= queue.queued() {
            return Err(job);
        }
        queue.first.push_back(Box::new(job));
        drop(state);
        self.wake[lane as usize].notify_one();
        Ok(())
    }

    /// Starts, with `start`, each worker a lane asks for, until the lanes are closed. One thread of
    /// the gatherer's scope runs it; `start` spawns a thread there that calls [`Lanes::work`].
    pub(crate) fn grow_with(&self, start: impl Fn(Lane)) {
        let mut state = self.lock();
        loop {
            for lane in [Lane::Registry, Lane::Api] {
                while state.queues[lane as usize].to_start > 0 {
                    state.queues[lane as usize].to_start -= 1;
                    drop(state);
                    start(lane);
                    state = self.lock();
                }
            }
            if state.closed {
                return;
            }
            state = self.grow.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// A worker's loop: runs `lane`'s jobs until the lanes are closed.
    pub(crate) fn work(&self, lane: Lane) {
        let mut state = self.lock();
        let queue = &mut state.queues[lane as usize];
        queue.coming = queue.coming.saturating_sub(1);
        loop {
            if let Some(job) = state.queues[lane as usize].pop() {
                drop(state);
                job(self);
                state = self.lock();
                continue;
            }
            if state.closed {
                return;
            }
            state.queues[lane as usize].idle += 1;
            state = self.wake[lane as usize].wait(state).unwrap_or_else(PoisonError::into_inner);
            state.queues[lane as usize].idle -= 1;
        }
    }

    /// Ends the workers; jobs still queued are dropped unrun (nobody waits for their answers).
    pub(crate) fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        let dropped: Vec<_> =
            state.queues.iter_mut().flat_map(|q| q.first.drain(..).chain(q.normal.drain(..))).collect();
        drop(state);
        drop(dropped);
        for wake in &self.wake {
            wake.notify_all();
        }
        self.grow.notify_all();
    }
}

/// Starts, on a thread of `scope`, [`Lanes::grow_with`] with workers that are threads of `scope`.
pub(crate) fn start_workers<'scope, 'env, 'jobs>(scope: &'scope Scope<'scope, 'env>, lanes: &'scope Lanes<'jobs>) {
    scope.spawn(move || lanes.grow_with(|lane| drop(scope.spawn(move || lanes.work(lane)))));
}

/// A count of outstanding jobs that a thread can wait to reach zero.
#[derive(Default)]
pub(crate) struct Group {
    outstanding: Mutex<usize>,
    zero: Condvar,
}

impl Group {
    /// One more job to wait for; call before submitting it.
    pub(crate) fn add(&self) {
        *self.outstanding.lock().unwrap_or_else(PoisonError::into_inner) += 1;
    }

    /// One job finished (after it recorded its answer and added any job it started).
    pub(crate) fn done(&self) {
        let mut n = self.outstanding.lock().unwrap_or_else(PoisonError::into_inner);
        *n = n.saturating_sub(1);
        if *n == 0 {
            self.zero.notify_all();
        }
    }

    /// Blocks until every added job is done.
    pub(crate) fn wait(&self) {
        let mut n = self.outstanding.lock().unwrap_or_else(PoisonError::into_inner);
        while *n > 0 {
            n = self.zero.wait(n).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Marks a [`Group`] job done when dropped, also when the job panics.
pub(crate) struct Done<'a>(pub(crate) &'a Group);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.0.done();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// Runs `body` with the lanes' workers started as in the gatherer; closes the lanes after it.
    fn with_workers(lanes: &Lanes<'_>, body: impl FnOnce()) -> usize {
        let started = AtomicUsize::new(0);
        std::thread::scope(|s| {
            s.spawn(|| {
                lanes.grow_with(|lane| {
                    started.fetch_add(1, Ordering::SeqCst);
                    s.spawn(move || lanes.work(lane));
                });
            });
            body();
            lanes.close();
        });
        started.into_inner()
    }

    #[test]
    fn at_most_the_lane_width_runs_at_once_and_continuations_run() {
        let group = Group::default();
        let (running, peak, finished) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
        let lanes = Lanes::default();
        let started = with_workers(&lanes, || {
            for _ in 0..50 {
                group.add();
                lanes.submit(Lane::Registry, Priority::Normal, |lanes| {
                    let _done = Done(&group);
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(50));
                    running.fetch_sub(1, Ordering::SeqCst);
                    // A continuation, counted before this job is done.
                    group.add();
                    lanes.submit(Lane::Registry, Priority::First, |_| {
                        let _done = Done(&group);
                        finished.fetch_add(1, Ordering::SeqCst);
                    });
                });
            }
            group.wait();
        });
        assert_eq!(finished.load(Ordering::SeqCst), 50);
        assert_eq!(started, CONNECTIONS_PER_HOST, "50 jobs at once start the lane's full width");
        // The width is reached (the queue outlasts the workers' start by far) and never passed.
        let peak = peak.load(Ordering::SeqCst);
        assert!(peak <= CONNECTIONS_PER_HOST && peak > CONNECTIONS_PER_HOST / 2, "peak {peak}");
    }

    #[test]
    fn a_lane_starts_only_the_workers_its_jobs_need() {
        let group = Group::default();
        let lanes = Lanes::default();
        let started = with_workers(&lanes, || {
            for _ in 0..3 {
                group.add();
                lanes.submit(Lane::Api, Priority::Normal, |_| {
                    let _done = Done(&group);
                    std::thread::sleep(Duration::from_millis(20));
                });
            }
            group.wait();
            while lanes.lock().queues[Lane::Api as usize].idle < 3 {
                std::thread::yield_now();
            }
            // Three more, one after another: the three idle workers take them.
            for _ in 0..3 {
                group.add();
                lanes.submit(Lane::Api, Priority::Normal, |_| drop(Done(&group)));
                group.wait();
            }
        });
        assert_eq!(started, 3);
    }

    #[test]
    fn a_job_goes_out_only_if_a_worker_is_free() {
        let group = Group::default();
        let lanes = Lanes::default();
        // No worker at all: nothing is free.
        assert!(lanes.submit_if_free(Lane::Api, |_| {}).is_err());
        with_workers(&lanes, || {
            // One job starts a worker, which is free again once the job is done.
            group.add();
            lanes.submit(Lane::Api, Priority::Normal, |_| drop(Done(&group)));
            group.wait();
            while lanes.lock().queues[0].idle == 0 {
                std::thread::yield_now();
            }
            group.add();
            assert!(lanes.submit_if_free(Lane::Api, |_| drop(Done(&group))).is_ok());
            group.wait();
        });
    }
}
