/** Worker-thread entry of `runHttpLoadInWorker`: runs the load it is given and posts the result back. */
import { parentPort, workerData } from 'node:worker_threads'
import { runHttpLoad, type HttpLoadOptions } from './http-load.ts'

parentPort!.postMessage(await runHttpLoad(workerData as HttpLoadOptions))
