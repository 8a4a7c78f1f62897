import fs from 'node:fs';
import os from 'node:os';
import { isMainThread, type MessagePort } from 'node:worker_threads';
import { move } from 'piscina';
import { ValidationNeeds, validationNeeds } from '../validation/references';
import { ValidateFabricOptions } from '../validation/validateFabric';
import { inScope, readFilesToValidate, validateFiles } from '../validation/validateFiles';
import { InvalidValidateRequest, readValidateRequest } from '../validation/validateRequest';

/*
 * The work of one `POST /validate`, run in a worker thread of ValidationPool:
 * reading the JSON body, parsing the YAML and validating take seconds for a large
 * body, and would block the backend's event loop. What only the backend's thread
 * has (the fabric's desired state in the database, the cluster) is asked for over
 * `port`.
 */

/**
 * In a worker thread (on Linux): a lower scheduling priority for this thread
 * alone (nice 10), so that when the workers and the event loop's thread compete
 * for the CPU, the event loop gets it first and the backend keeps answering.
 */
if (!isMainThread) {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (tid > 0) os.setPriority(tid, 10);
  } catch {
    // not Linux: the same priority as the event loop
  }
}

export interface ValidateTask {
  body: Uint8Array;
  port: MessagePort;
}

/** A question to the backend's thread, and its answer. */
export type ValidateQuestion = { fabric: string } | { fabric: string; needs: ValidationNeeds };
export type ValidateAnswer =
  | { desired: string; kinds?: string[] }
  | { options: Pick<ValidateFabricOptions, 'config' | 'live' | 'switchProfiles' | 'offline'> }
  | { error: { name: string; message: string } };

/**
 * The answer's JSON as UTF-8 bytes (moved to the backend's thread, not copied), or
 * why there is none: `name` is that of a @backstage/errors error (InputError, NotFoundError).
 */
export type ValidateTaskResult = Uint8Array | { error: { name: string; message: string } };

export default async function validateTask({ body, port }: ValidateTask): Promise<ValidateTaskResult> {
  try {
    const request = readValidateRequest(body);
    let read = readFilesToValidate(request.files);
    let options: ValidateFabricOptions = {};
    if (request.fabric !== undefined) {
      // the fabric's desired state (as JSON text: parsed here, not on the backend's thread)
      const desired = await ask(port, { fabric: request.fabric });
      if (!('desired' in desired)) return answerError(desired);
      // documents of kinds the fabric does not manage are not its (references to them resolve live)
      read = inScope(read, desired.kinds);
      const context = JSON.parse(desired.desired) as Array<Record<string, unknown>>;
      const needs = validationNeeds([...context, ...read.documents.map(d => d.object)]);
      const inputs = await ask(port, { fabric: request.fabric, needs });
      if (!('options' in inputs)) return answerError(inputs);
      options = { ...inputs.options, context };
    }
    const json = new TextEncoder().encode(JSON.stringify(validateFiles(request.files, read, options)));
    return move(json) as Uint8Array;
  } catch (e) {
    if (e instanceof InvalidValidateRequest) return { error: { name: 'InputError', message: e.message } };
    throw e;
  } finally {
    port.close();
  }
}

function answerError(answer: ValidateAnswer): ValidateTaskResult {
  return { error: 'error' in answer ? answer.error : { name: 'Error', message: 'the backend did not answer' } };
}

function ask(port: MessagePort, question: ValidateQuestion): Promise<ValidateAnswer> {
  return new Promise((resolve, reject) => {
    const listeners = {
      message: (answer: ValidateAnswer) => {
        port.off('close', listeners.close);
        resolve(answer);
      },
      close: () => {
        port.off('message', listeners.message);
        reject(new Error('the backend stopped answering'));
      },
    };
    port.once('message', listeners.message);
    port.once('close', listeners.close);
    port.postMessage(question);
  });
}
