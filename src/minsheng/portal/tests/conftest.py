from minsheng.portal.tests.helpers import sms_outbox  # noqa: F401
