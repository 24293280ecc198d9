// GET /tasks: what can be scored and how (the library's registry, as data).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { describeTasks } from '../../rewards/registry.js';

const tasksResponse = z.object({
  semantics: z.string(),
  scorers: z.array(
    z.object({
      name: z.string().describe('Native task name.'),
      reward_type: z.string(),
      description: z.string(),
      reference: z.string().describe('What a native item\'s `reference` holds.'),
      options: z.record(z.string(), z.string()).describe('Options a native item may set, with their meaning.'),
    }),
  ),
  longbench_pro_subtasks: z.array(z.object({ name: z.string(), reward_type: z.string(), scorer: z.string() })),
  data_sources: z.array(
    z.object({ data_source: z.string(), match: z.enum(['exact', 'contains']), scorer: z.string(), reward_type: z.string(), response: z.string() }),
  ),
});

export async function tasksRoutes(app: FastifyInstance): Promise<void> {
  const description = describeTasks();
  app.get(
    '/tasks',
    {
      schema: {
        summary: 'Scorers, LongBench-Pro sub-tasks and verl data sources',
        description: 'Every scorer with its options, every LongBench-Pro sub-task with its reward type, every routed verl data_source, and the semantics version.',
        tags: ['scoring'],
        response: { 200: z.toJSONSchema(tasksResponse, { target: 'openapi-3.0' }) },
      },
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async () => description,
  );
}
