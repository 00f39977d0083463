/** One of the verifier's three checks, as a card: its verdict in a word and the facts behind it. */

export type Verdict = "pass" | "fail" | "warn" | "skipped";

export interface CheckView {
  title: string;
  verdict: Verdict;
  /** The verdict in a sentence. */
  headline: string;
  details: string[];
}

const WORD: Record<Verdict, string> = { pass: "Passed", fail: "Failed", warn: "Attention", skipped: "Not checked" };

export function CheckCard({ check }: { check: CheckView }) {
  const id = `check-${check.title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section
      className={`check-card ${check.verdict}`}
      aria-labelledby={id}
      data-testid={id}
      data-verdict={check.verdict}
    >
      <h2 id={id}>{check.title}</h2>
      <p className="check-verdict">
        <span aria-hidden="true">{check.verdict === "pass" ? "✔ " : check.verdict === "fail" ? "✖ " : "● "}</span>
        {WORD[check.verdict]}
      </p>
      <p className="check-headline">{check.headline}</p>
      {check.details.length > 0 ? (
        <ul>
          {check.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
