export interface Config {
  sla?: {
    expiry?: {
      /**
       * Days before an agreement's validUntil to notify its owners (read by
       * the backend plugin, which sends the notices). The agreement card
       * warns "expires in N days" within the largest one. Default [30, 7, 1].
       * @visibility frontend
       */
      noticeDays?: number[];
    };
  };
}
