/** Who sends the signed payload: the wallet (it pays gas) or the server's relayer (gasless). */
import type { SubmitPath } from "./submit";

export function SubmitChoice(props: {
  path: SubmitPath;
  onChange: (path: SubmitPath) => void;
  relayer: boolean;
}): JSX.Element {
  return (
    <fieldset>
      <legend>How to submit</legend>
      <label>
        <input
          type="radio"
          name="submit-path"
          value="wallet"
          checked={props.path === "wallet"}
          onChange={() => props.onChange("wallet")}
        />{" "}
        From my wallet (it pays the gas)
      </label>
      <label>
        <input
          type="radio"
          name="submit-path"
          value="relay"
          checked={props.path === "relay"}
          disabled={!props.relayer}
          onChange={() => props.onChange("relay")}
        />{" "}
        Gasless, through this server&apos;s relayer{props.relayer ? "" : " (not offered by this server)"}
      </label>
    </fieldset>
  );
}
