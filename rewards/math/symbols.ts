// latex2sympy2_extended's GREEK_LETTER_MAP: LaTeX commands and Unicode letters to symbol names.

const GREEK: Record<string, string> = {};
const NAMES =
  'alpha beta gamma Gamma delta Delta epsilon varepsilon zeta eta theta Theta vartheta iota kappa lambda Lambda mu nu xi Xi omicron pi Pi varpi rho varrho sigma Sigma varsigma tau upsilon Upsilon phi Phi varphi chi psi Psi omega Omega'.split(
    ' ',
  );
const UNICODE = 'α β γ Γ δ Δ ε ϵ ζ η θ Θ ϑ ι κ λ Λ μ ν ξ Ξ ο π Π ϖ ρ ϱ σ Σ ς τ υ Υ φ Φ ϕ χ ψ Ψ ω Ω'.split(' ');
NAMES.forEach((name, i) => {
  GREEK['\\' + name] = name;
  GREEK[UNICODE[i]!] = name;
});

/** The symbol name for a Greek letter command or character, or undefined. */
export function greekName(text: string): string | undefined {
  return GREEK[text];
}
