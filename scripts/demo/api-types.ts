// What the demo reads of the API's answers (see the contract); other fields are ignored.

export interface WebhookAnswer {
  status: 'accepted' | 'duplicate' | string;
  accepted: number;
  duplicates: number;
}

export interface QueueCounts {
  waiting?: number;
  active?: number;
  prioritized?: number;
  failed: number;
}

export interface SyncStatus {
  queues: { sync: QueueCounts };
  pendingPeople: number;
  budget?: { usedInWindow: number; limit: number; pausedForMs: number };
  quarantine?: { detail: string };
}

export interface ReportSummary {
  id: string;
  generatedAt: string;
}

export interface PersonResult {
  externalId: string;
  outcome: string;
  correlationId?: string;
}

export interface Discrepancy {
  externalId: string;
  type: string;
  detail: string;
}

export interface Report extends ReportSummary {
  people?: PersonResult[];
  discrepancies?: Discrepancy[];
}

export interface Preview {
  outcome: string;
  stale?: boolean;
  requests?: Array<{ method: string }>;
}
