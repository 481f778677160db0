/**
 * A small Node file-system IOHandler for tests (tfjs-node, which provides `file://`, cannot be
 * installed here): `model.json` (topology, weights manifest, metadata) + `weights.bin`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export function fileHandler(dir: string): tf.io.IOHandler {
  const modelPath = join(dir, 'model.json');
  const weightsPath = join(dir, 'weights.bin');
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('fileHandler: binary topology not supported');
      await mkdir(dir, { recursive: true });
      const weightData = artifacts.weightData == null ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json: Record<string, unknown> = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig != null) json.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata != null) json.userDefinedMetadata = artifacts.userDefinedMetadata;
      await writeFile(modelPath, JSON.stringify(json));
      await writeFile(weightsPath, new Uint8Array(weightData));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weightData.byteLength,
        },
      };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = JSON.parse(await readFile(modelPath, 'utf8'));
      const buf = await readFile(weightsPath);
      const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
      const artifacts: tf.io.ModelArtifacts = {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: json.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights),
        weightData,
      };
      if (json.trainingConfig != null) artifacts.trainingConfig = json.trainingConfig;
      if (json.userDefinedMetadata != null) artifacts.userDefinedMetadata = json.userDefinedMetadata;
      return artifacts;
    },
  };
}

/** An in-memory save target plus a loader for what was saved. */
export function memoryStore(): { save: tf.io.IOHandler; load: () => tf.io.IOHandler; artifacts: () => tf.io.ModelArtifacts } {
  let saved: tf.io.ModelArtifacts | undefined;
  return {
    save: tf.io.withSaveHandler(async (a) => {
      // Keep a JSON round trip of everything but the weights, like a real store would.
      const { weightData, ...rest } = a;
      saved = { ...JSON.parse(JSON.stringify(rest)), weightData };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    load: () => {
      if (saved === undefined) throw new Error('memoryStore: nothing saved');
      return tf.io.fromMemory(saved);
    },
    artifacts: () => {
      if (saved === undefined) throw new Error('memoryStore: nothing saved');
      return saved;
    },
  };
}
