/** Reasons of the Kubernetes Events the operator records about CRs (Warnings of conditions use the condition reasons). */
export const EventReasons = {
  Created: 'Created',
  Adopted: 'Adopted',
  Deleted: 'Deleted',
  ConfigUpdated: 'ConfigUpdated',
  StateReprojected: 'StateReprojected',
  ProjectionFailed: 'ProjectionFailed',
  SavepointTriggered: 'SavepointTriggered',
  SavepointRegistered: 'SavepointRegistered',
  RestartTriggered: 'RestartTriggered',
  DeletionBlocked: 'DeletionBlocked',
  /** A write sent fields VVP did not keep (one Warning per new set; ADR 0011). */
  FieldNotKept: 'FieldNotKept',
} as const;
export type EventReason = (typeof EventReasons)[keyof typeof EventReasons];
