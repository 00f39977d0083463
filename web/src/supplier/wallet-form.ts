/**
 * The submit cycle every supplier form shares: it acts from the connected wallet, shows its failure in words and
 * opens the page the action names (a receipt) when it succeeds. One home for that cycle, so each form only says
 * what it sends.
 */
import { useState, type FormEvent } from "react";
import type { Address } from "viem";
import type { AppConfig } from "../lib/config";
import { useAccount } from "./account";
import { messageOf } from "../../../lib/errors";

/** What a form sends; resolves to the hash route to open next. */
export type WalletAction = (config: AppConfig, account: Address) => Promise<string>;

export function useWalletForm() {
  const { config, account } = useAccount();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Runs `action` for the form's submit event; a null action (e.g. no valid file yet) sends nothing. */
  const submitWith = async (e: FormEvent, action: WalletAction | null): Promise<void> => {
    e.preventDefault();
    if (!action || !config) return;
    setBusy(true);
    setError(null);
    try {
      if (!account) throw new Error("connect your wallet first");
      window.location.hash = await action(config, account);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return { config, account, error, setError, busy, submitWith };
}
