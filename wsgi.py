from campaign import create_app
from campaign.shared.process import freeze_startup_objects

app = create_app()
freeze_startup_objects()
