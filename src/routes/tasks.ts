// GET /tasks: what can be scored and how (the library's registry, as data).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { describeTasks } from '../../rewards/registry.js';
import { documented, errorResponses } from '../schemas/openapiDocs.js';

const tasksResponse = z.object({
  semantics: z.string(),
  scorers: z.array(
    z.object({
      name: z.string().describe('Native task name.'),
      reward_type: z.string(),
      description: z.string(),
      reference: z.string().describe('What a native item\'s `reference` holds.'),
      options: z
        .record(z.string(), z.string())
        .describe('Options a native item may set, with their meaning.')
        .meta({ example: { language: '"en"/"English" (default) or "zh"/"Chinese"', think: '"none" (default), "strip" or "gate"' } }),
      ideal_response: z.string().describe('The ideal response the dataset check (POST /check) builds from the ground truth for this scorer.'),
    }),
  ),
  longbench_pro_subtasks: z.array(z.object({ name: z.string(), reward_type: z.string(), scorer: z.string() })),
  data_sources: z.array(
    z.object({
      data_source: z.string().describe('The data_source, or (match "prefix") how every data_source of this route starts, or (match "contains") a text every data_source of this route contains.'),
      match: z.enum(['exact', 'prefix', 'contains']),
      scorer: z.string(),
      reward_type: z.string(),
      response: z.string().describe('Which part of solution_str is scored.'),
      ground_truth: z.string().describe('The ground_truth this data source expects.'),
      extra_info: z.string().describe("The extra_info it reads ('not read' when none)."),
      example: z
        .object({ data_source: z.string(), solution_str: z.string(), ground_truth: z.unknown(), extra_info: z.unknown() })
        .describe('A verl row of this data source that scores 1.'),
      ideal_response: z.string().describe('The ideal response the dataset check (POST /check) builds for rows of this data source.'),
    }),
  ),
  check_problems: z
    .array(z.object({ code: z.string(), severity: z.enum(['fatal', 'capped', 'warning']), meaning: z.string() }))
    .describe('Problem codes of POST /check, with their severity.'),
  audit_flags: z
    .array(
      z.object({
        flag: z.string(),
        scorers: z.array(z.string()).describe('Native names of the scorers whose items it is checked on ("*": every scorer).'),
        rule: z.string().describe('The exact rule.'),
        exploit: z.string().describe('The exploit it catches.'),
      }),
    )
    .describe('The reward-hacking audit\'s flags (`audit: true` on POST /score).'),
});

export async function tasksRoutes(app: FastifyInstance): Promise<void> {
  const description = describeTasks();
  app.get(
    '/tasks',
    {
      schema: {
        summary: 'Scorers, LongBench-Pro sub-tasks and verl data sources',
        description:
          'Every scorer with its options, every LongBench-Pro sub-task with its reward type, every routed verl data_source with the ground_truth shape it expects and an example row, ' +
          'the audit flags with the scorers they concern, and the semantics version.',
        tags: ['scoring'],
        response: {
          200: documented(
            z.toJSONSchema(tasksResponse, { target: 'openapi-3.0' }) as Record<string, unknown>,
            'Every scorer (native task) with the reference and options it takes, every LongBench-Pro sub-task, and every verl data_source with the ground truth it expects and an example row.',
          ),
          ...errorResponses(401, 503),
        },
      },
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async () => description,
  );
}
