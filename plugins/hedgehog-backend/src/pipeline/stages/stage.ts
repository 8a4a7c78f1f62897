import { LoggerService } from '@backstage/backend-plugin-api';
import { RunStageName } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { HedgehogStore } from '../../database/HedgehogStore';
import { RunRecorder, StageOutcome } from '../RunRecorder';

/** What every stage of a run has: the fabric, the store, the run's recorder and a logger. */
export interface RunContext {
  fabric: FabricDefinition;
  store: HedgehogStore;
  recorder: RunRecorder;
  logger: LoggerService;
}

/** What a stage ends with: the outcome recorded on the run, and what it hands to the next stage. */
export interface StageResult<O> {
  outcome: StageOutcome;
  output: O;
}

/**
 * One stage of a run: a name from `RUN_STAGES` (-common) and a function from the
 * previous stage's output to its own. A stage reads and writes nothing but its
 * context, its input and its result.
 */
export interface Stage<C extends RunContext, I, O> {
  name: RunStageName;
  run(ctx: C, input: I): Promise<StageResult<O>>;
}

/** Runs a stage, recording its start, its outcome (or its error) on the run; returns its output. */
export async function runStage<C extends RunContext, I, O>(ctx: C, stage: Stage<C, I, O>, input: I): Promise<O> {
  let output: { value: O } | undefined;
  await ctx.recorder.stage(stage.name, async () => {
    const result = await stage.run(ctx, input);
    output = { value: result.output };
    return result.outcome;
  });
  return output!.value;
}
