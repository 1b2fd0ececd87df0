"""Reminders that go out on their own: a schedule per campaign, sent by the task queue's consumer to those who still
owe something, through e-mail, the 企业微信 and 钉钉 group robots and an SMS gateway hook."""
