// verl datasets as parquet files for the tests, written with hyparquet-writer in the layout
// pandas/pyarrow give them: `prompt` a list of {content, role} structs, `reward_model` a struct
// {ground_truth, style} whose ground_truth struct has the union of the rows' keys (missing ones
// null), `extra_info` a struct, and verl's generation output `responses` a list of strings per row.
import { writeFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ScoreCase } from './parity.js';

const str = (name: string) => ({ name, type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type: 'OPTIONAL' as const });
const listOf = (name: string, children: number) => [
  { name, repetition_type: 'OPTIONAL' as const, converted_type: 'LIST' as const, num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED' as const, num_children: 1 },
];

export interface FixtureOptions {
  responses?: 'list' | 'string' | 'none';
}

/** A verl dataset of these cases, as pyarrow would lay it out. */
export function writeDataset(path: string, cases: ScoreCase[], { responses = 'list' }: FixtureOptions = {}): void {
  const schema: Record<string, unknown>[] = [
    { name: 'root', num_children: responses === 'none' ? 5 : 6 },
    str('data_source'),
    ...listOf('prompt', 1),
    { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
    str('content'),
    str('role'),
    str('ability'),
    { name: 'reward_model', repetition_type: 'OPTIONAL', num_children: 2 },
    { name: 'ground_truth', repetition_type: 'OPTIONAL', num_children: 3 },
    ...listOf('doc_ids', 1),
    str('element'),
    str('golden_label'),
    str('summary'),
    str('style'),
    { name: 'extra_info', repetition_type: 'OPTIONAL', num_children: 2 },
    { name: 'index', type: 'INT64', repetition_type: 'OPTIONAL' },
    str('reward_mode'),
  ];
  const columnData: { name: string; data: unknown[] }[] = [
    { name: 'data_source', data: cases.map((c) => c.data_source) },
    { name: 'prompt', data: cases.map((c) => [{ content: `Question of ${c.id}`, role: 'user' }]) },
    { name: 'ability', data: cases.map(() => 'long_context') },
    {
      name: 'reward_model',
      data: cases.map((c) => {
        const gt = c.ground_truth as Record<string, unknown>;
        return { ground_truth: { doc_ids: gt.doc_ids ?? null, golden_label: gt.golden_label ?? null, summary: gt.summary ?? null }, style: 'rule' };
      }),
    },
    { name: 'extra_info', data: cases.map((c, i) => ({ index: BigInt(i), reward_mode: (c.extra_info as Record<string, unknown>).reward_mode ?? null })) },
  ];
  if (responses === 'list') {
    schema.push(...listOf('responses', 1), str('element'));
    columnData.push({ name: 'responses', data: cases.map((c) => [c.solution_str, c.solution_str + ' extra words']) });
  } else if (responses === 'string') {
    schema.push(str('model_output'));
    columnData.push({ name: 'model_output', data: cases.map((c) => c.solution_str) });
  }
  writeFileSync(path, new Uint8Array(parquetWriteBuffer({ schema: schema as never, columnData: columnData as never, rowGroupSize: 16 })));
}

