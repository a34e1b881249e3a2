# The default detector on its own (COCO classes), for `mmtrack detect` and the app's detection-only mode.
_base_ = ['../_base_/models/centernet_mobilenetv3.py']
model = dict(type='CenterNet')
