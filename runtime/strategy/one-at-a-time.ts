/**
 * Runs jobs one after another, in the order they were asked for. The strategy host checks modules with it: each
 * check is a worker thread with a heap of its own, and uploads arriving together must not each get one at the
 * same time, beside the running strategies, within the pod's memory limit.
 */
export class OneAtATime {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `job` once every job asked for before it has settled; settles as `job` does. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(job, job);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
