// The one error the advantage library throws: the input (not the code) is wrong.

/** Bad estimator input: unknown estimator, mismatched lengths, non-finite score, mixed group, bad parameter. */
export class AdvantageInputError extends Error {
  constructor(
    message: string,
    /** The offending field as a client names it, e.g. `scores[3]` or `difficulty_smooth_alpha`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AdvantageInputError';
  }
}
